// The SDK clients of an eventlake on AWS: built from the config (region, endpoint), credentials from the standard chain.

import type { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { AwsEventlakeConfig } from './aws-config.ts';
import { envEndpoint } from './aws-config.ts';

/** The clients the adapters are given. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** Only when an event bus is configured. */
  readonly eventBridge?: EventBridgeClient;
  /** Only for `eventlake query` (built by openAwsEventQuery, so other commands never load the Athena SDK). */
  readonly athena?: AthenaClient;
  /** Only for `eventlake rebuild --remote` (built by openRemoteRebuild, so other commands never load the Lambda SDK). */
  readonly lambda?: LambdaClient;
  /** Only for `eventlake dlq` (built by openAwsDeadLetters, so other commands never load the SQS SDK). */
  readonly sqs?: SQSClient;
}

/** Clients, and those of them this module built (the ones `close` may destroy; injected clients stay the caller's). */
export interface BuiltClients {
  readonly clients: AwsClients;
  readonly owned: readonly { destroy(): void }[];
}

type Env = Readonly<Record<string, string | undefined>>;
type ClientConfig = Pick<AwsEventlakeConfig, 'region' | 'endpoint' | 'forcePathStyle' | 'eventBusName' | 'clients'>;

/** What every client of the config shares: its region and endpoint, when set (the SDK's chain applies otherwise). */
export function baseClientConfig(config: Pick<AwsEventlakeConfig, 'region' | 'endpoint'>): { region?: string; endpoint?: string } {
  return { ...(config.region ? { region: config.region } : {}), ...(config.endpoint ? { endpoint: config.endpoint } : {}) };
}

/**
 * Path-style S3 addressing (`http://host/bucket/key`) when an endpoint is set: emulators such as s3rver, MinIO
 * or LocalStack serve one host, where virtual-hosted `bucket.host` names would not resolve.
 */
export function pathStyleFor(config: ClientConfig, env: Env = process.env): boolean {
  return config.forcePathStyle ?? (config.endpoint !== undefined || envEndpoint(env, 'S3') !== undefined);
}

/**
 * The clients for `config`: injected ones as they are, the others built with its region and endpoint. Nothing else
 * is set, so the SDK applies the standard credential chain (env, SSO, profile, container, instance role) and
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> by itself.
 *
 * @example
 * const { clients, owned } = buildAwsClients({ region: 'eu-central-1', endpoint: 'http://localhost:4566' });
 */
export function buildAwsClients(config: ClientConfig, env: Env = process.env): BuiltClients {
  const owned: { destroy(): void }[] = [];
  const base = baseClientConfig(config);
  const own = <T extends { destroy(): void }>(client: T): T => { owned.push(client); return client; };
  const s3 = config.clients?.s3 ?? own(new S3Client({ ...base, forcePathStyle: pathStyleFor(config, env) }));
  const dynamodb = config.clients?.dynamodb ?? own(new DynamoDBClient(base));
  const eventBridge = config.clients?.eventBridge ?? (config.eventBusName ? own(new EventBridgeClient(base)) : undefined);
  return { clients: { s3, dynamodb, ...(eventBridge ? { eventBridge } : {}) }, owned };
}

/** Clients built for one opener, destroyed together by `close` (injected clients are never handed to `own`). */
export function clientOwner(): { own<T extends { destroy(): void }>(client: T): T; close(): Promise<void> } {
  const owned: { destroy(): void }[] = [];
  return {
    own: (client) => { owned.push(client); return client; },
    close: async () => { for (const client of owned) client.destroy(); },
  };
}

/** `requireRegion(client)`, closing `owner`'s clients first when it fails (an opener that throws leaks nothing). */
export async function requireRegionOrClose(client: { config: { region: () => Promise<string> } }, owner: { close(): Promise<void> }): Promise<void> {
  try {
    await requireRegion(client);
  } catch (error) {
    await owner.close();
    throw error;
  }
}

/**
 * Resolve the region now, so a missing one fails at start with the fix instead of as the SDK's "Region is missing"
 * on the first call.
 */
export async function requireRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    return await client.config.region();
  } catch (cause) {
    throw new InvalidArgumentError('region', `no AWS region: set "region" in the config file, AWS_REGION, or a region in your AWS profile (${(cause as Error).message})`);
  }
}
