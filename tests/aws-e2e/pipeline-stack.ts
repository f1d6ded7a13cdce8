// The AWS pipeline on the test services, every Lambda built by its real factory: s3rver as the bucket, DynamoDB Local
// for the tables, and an EventBridge client mocked to capture PutEvents and hand each entry to the projector as the
// bus's rule target (a Lambda, no queue: infra/dispatch.ts ruleTo) receives it.

import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbCheckpointStore } from '../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { DynamoDbProjectionStore } from '../../adapters/aws/dynamodb-projection-store.ts';
import { ensureTable } from '../../adapters/aws/dynamodb-tables.ts';
import { EventBridgeDispatcher } from '../../adapters/aws/eventbridge-dispatcher.ts';
import { createCompaction } from '../../adapters/aws/lambda/create-compaction.ts';
import { createIndexer } from '../../adapters/aws/lambda/create-indexer.ts';
import { createProjector } from '../../adapters/aws/lambda/create-projector.ts';
import { coordinatorRebuild, createRebuildHandler } from '../../adapters/aws/lambda/create-rebuild.ts';
import { deploymentFrom } from '../../adapters/aws/lambda/deployment.ts';
import { firstGenerationCheck, firstGenerationRules } from '../../adapters/aws/lambda/first-generation.ts';
import type { LambdaLogger, LambdaMetrics } from '../../adapters/aws/lambda/observability.ts';
import { liveApply } from '../../adapters/aws/lambda/projector-setup.ts';
import { projectionNamed } from '../../adapters/aws/lambda/projections.ts';
import { projectionStoreFromEnv, snapshotStoreFromEnv } from '../../adapters/aws/lambda/stores.ts';
import { S3ArchiveTier } from '../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE, PROJECTION_TABLE } from '../../adapters/aws/table-keys.ts';
import { EVENT_OBJECT_SUFFIX, EVENTS_PREFIX } from '../../domain/event.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { firstGenerationCheckpoint } from '../../projections/rebuild/first-generation-rules.ts';
import { balanceRules } from '../../examples/outgoing-payment/eventlake.extensions.ts';
import { declaredAccountsOf } from '../../schemas/declared-accounts.ts';
import { dynamoDb } from '../support/dynamodb-local.ts';
import { s3Target } from '../support/s3rver.ts';
import { tempDir } from '../support/tmp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The example's folder: its schema folder is what the stack would bundle beside index.mjs. */
export const EXAMPLE = join(root, 'examples/outgoing-payment');
export const SCHEMAS = join(EXAMPLE, 'schemas');
export const EXTENSIONS = join(EXAMPLE, 'eventlake.extensions.ts');
const BUS = 'eventlake-e2e';

const quiet: LambdaLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const metrics: LambdaMetrics = { addMetric: () => {} };

type BusEvent = EventBridgeEvent<string, unknown>;

/**
 * The event EventBridge hands a Lambda target for a PutEvents entry: the envelope fields around the parsed Detail
 * (EventBridge User Guide, "Amazon EventBridge events"; time at whole seconds, as EventBridge writes it).
 */
export function busDelivery(entry: PutEventsRequestEntry): BusEvent {
  return {
    version: '0', id: randomUUID(), 'detail-type': entry.DetailType!, source: entry.Source!, account: '111122223333',
    time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: 'us-east-1', resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail!) as unknown,
  };
}

/** The "Object Created" event S3 sends EventBridge's default bus for a PutObject (the indexer rule's input). */
export function objectCreated(bucket: string, key: string, size: number): BusEvent {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), region: 'us-east-1', resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0', bucket: { name: bucket }, object: { key, size, etag: 'e', sequencer: '01' }, 'request-id': 'r',
      requester: '111122223333', 'source-ip-address': '10.0.0.1', reason: 'PutObject',
    },
  };
}

/**
 * A redrive's batch: the dead-letter queue's messages as the SQS event source mapping hands them to the function. A
 * rule target's DLQ and a function's async DLQ both hold the EventBridge event itself as the message body.
 */
export function redriveBatch(events: readonly BusEvent[], queue: string): SQSEvent {
  return {
    Records: events.map((e) => ({
      messageId: randomUUID(), receiptHandle: 'r', body: JSON.stringify(e), md5OfBody: 'm', messageAttributes: {},
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      eventSource: 'aws:sqs', eventSourceARN: `arn:aws:sqs:us-east-1:111122223333:${queue}`, awsRegion: 'us-east-1',
    })),
  };
}

export type PipelineStack = Awaited<ReturnType<typeof pipelineStack>>;

/** A stack on the test services: its tables, its four handlers, the captured bus entries and the CLI's config file. */
export async function pipelineStack(firstHour: number) {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const dbUrl = await db.client.config.endpoint!();
  const s3Url = await s3.client.config.endpoint!();
  // DynamoDB Local keeps one database per access key and the CLI takes s3rver's from the environment: one key for all.
  const dynamodb = new DynamoDBClient({
    endpoint: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`, region: 'us-east-1', maxAttempts: 2,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const [indexTable, controlTable, tablePrefix] = [db.uniqueName('index'), db.uniqueName('control'), db.uniqueName('lake')];
  const env = { EVENTLAKE_CONTROL_TABLE: controlTable, EVENTLAKE_TABLE_PREFIX: tablePrefix, EVENTLAKE_SCHEMA_FOLDERS: 'schemas' };
  const deployment = deploymentFrom({ balanceRules }, env, EXAMPLE);
  const projection = projectionNamed('balances', deployment.projections);
  const projectorStore = projectionStoreFromEnv(dynamodb, { createTables: false }, env);
  // The stack creates generation 1 of each projection (infra/tables.ts) before any projector runs; DynamoDB Local has no PITR.
  await Promise.all([
    ensureTable(dynamodb, indexTable, EVENT_INDEX_TABLE), ensureTable(dynamodb, controlTable, CONTROL_TABLE),
    ensureTable(dynamodb, projectorStore.tableFor('balances', 1), PROJECTION_TABLE, { pointInTimeRecovery: false }),
  ]);

  const bus = mockClient(EventBridgeClient);
  const entries: PutEventsRequestEntry[] = [];
  bus.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    entries.push(...input.Entries);
    return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: randomUUID() })) };
  });
  const log = new S3EventLog({ client: s3.client, bucket: s3.bucket });
  // One process's indexer on a local peer commits within ms: a short in-flight bound keeps the promotion's settle
  // wait (inFlightMs + 1 s; 121 s by default) from taking most of this file's time, while still waiting for real.
  const index = new DynamoDbEventIndex({ client: dynamodb, tableName: indexTable, inFlightMs: 2_000 });
  const indexer = createIndexer({
    log, index, archive: new S3ArchiveTier({ client: s3.client, bucket: s3.bucket }), logger: quiet, metrics,
    dispatcher: new EventBridgeDispatcher({ client: new EventBridgeClient({ region: 'us-east-1' }), eventBusName: BUS, bucket: s3.bucket }),
    accountsOf: declaredAccountsOf([SCHEMAS]),
  });
  const checkpoint = firstGenerationCheckpoint(projection, deployment.registry);
  const projector = createProjector({
    apply: liveApply(projectorStore, projection, deployment.registry.upcast,
      firstGenerationRules(firstGenerationCheck({ client: dynamodb, table: projectorStore.tableFor('balances', 1), checkpoint }))),
    log, index, logger: quiet, metrics,
  });
  const checkpoints = new DynamoDbCheckpointStore({ client: dynamodb, controlTableName: controlTable });
  const compaction = createCompaction({ log, index, checkpoints, settings: { firstHour, afterHours: 1 }, logger: quiet, metrics });
  // The rebuild's store as projectionStoreFromEnv makes it, but without PITR on new generations: DynamoDB Local
  // answers UpdateContinuousBackups with UnknownOperationException (the one setting that differs from the function's).
  const rebuildStore = new DynamoDbProjectionStore({ client: dynamodb, controlTableName: controlTable, tablePrefix, tableSettings: { pointInTimeRecovery: false } });
  const coordinator = new RebuildCoordinator({
    registry: deployment.registry, upcast: deployment.registry.upcast, index, log, store: rebuildStore,
    snapshots: snapshotStoreFromEnv(dynamodb, rebuildStore, env), archive: new S3ArchiveTier({ client: s3.client, bucket: s3.bucket }), checkpoints,
  }, deployment.projections);
  const rebuild = createRebuildHandler({ rebuild: coordinatorRebuild(coordinator), logger: quiet });

  const awsEnv = {
    AWS_ENDPOINT_URL_S3: `${s3Url.protocol}//${s3Url.hostname}:${s3Url.port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1',
  };
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({
    target: 'aws', region: 'us-east-1', bucket: s3.bucket, indexTable, controlTable, tablePrefix, pointInTimeRecovery: false, forcePathStyle: true,
  }));

  /** Every one-event object of the log, as S3 would have notified each PutObject. */
  async function notifications(): Promise<BusEvent[]> {
    const out: BusEvent[] = [];
    let token: string | undefined;
    do {
      const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: EVENTS_PREFIX, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key!.endsWith(EVENT_OBJECT_SUFFIX)) out.push(objectCreated(s3.bucket, o.Key!, o.Size ?? 0));
      token = page.NextContinuationToken;
    } while (token);
    return out;
  }

  return {
    s3, dynamodb, indexTable, controlTable, tablePrefix, deployment, projection, log, index, entries, bus,
    indexer, projector, compaction, rebuild, rebuildStore, config, notifications,
    openConfig: { region: 'us-east-1', bucket: s3.bucket, indexTable, controlTable, tablePrefix, pointInTimeRecovery: false, schemaFolders: [SCHEMAS],
      clients: { s3: s3.client, dynamodb } },
    /** `node bin/eventlake.js --config … args` against this stack. */
    cli: (args: readonly string[]) => runBin(['--config', config, '--target', 'aws', '--schemas', SCHEMAS, '--extensions', EXTENSIONS, ...args], awsEnv),
  };
}

/** The CLI as an operator runs it: its own process, the stack's endpoints and credentials in the environment. */
function runBin(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'bin/eventlake.js'), ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}
