// The failures of a DynamoDB endpoint without point-in-time recovery (DynamoDB Local), which snapshots stand on.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { namingCommands } from '../../domain/command-spelling.ts';
import { StorageError } from '../../domain/errors.ts';
import { errorName } from './dynamodb-codec.ts';

/** How an endpoint without the PITR operations answers them (DynamoDB Local: DescribeContinuousBackups, UpdateContinuousBackups). */
const NO_PITR = new Set(['UnknownOperationException']);

/** The endpoint the client sends to, when one is set (an emulator), as a URL. */
async function endpointOf(client: DynamoDBClient): Promise<string | undefined> {
  try {
    const e = await client.config.endpoint?.();
    return e ? `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path === '/' ? '' : e.path}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The StorageError for `error` when it says the endpoint has no point-in-time recovery, or undefined. Why a message of
 * its own: the SDK's "UnknownOperationException" names neither PITR nor that snapshots need it, and the README's
 * DynamoDB Local setup (`"pointInTimeRecovery": false`) meets it at the first `snapshot take`.
 */
export async function pitrUnavailable(client: DynamoDBClient, of: { table: string; projection: string }, error: unknown): Promise<StorageError | undefined> {
  const name = errorName(error);
  if (!NO_PITR.has(name ?? '')) return undefined;
  const endpoint = await endpointOf(client);
  const { table, projection } = of;
  return namingCommands((spell) => new StorageError(`DynamoDB: snapshots need point-in-time recovery (PITR), which the DynamoDB endpoint${endpoint ? ` ${endpoint}` : ''} does not offer ` +
    `(turning PITR on for ${table} failed: ${name}; DynamoDB Local has none), so no snapshot was taken: take snapshots against real DynamoDB ` +
    `(a deployed stack); on this endpoint snapshots are not available, and a rebuild replays the log instead (${spell('rebuild', '--projection', projection, '--from', '0')})`, { cause: error }));
}
