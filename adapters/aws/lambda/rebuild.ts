// Lambda entry the CLI invokes to rebuild a projection on AWS; logic in createRebuildHandler and the coordinator.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { DynamoDbCheckpointStore } from '../dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3ArchiveTier } from '../s3-archive-tier.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';
import { coordinatorRebuild, createRebuildHandler } from './create-rebuild.ts';
import { createPowertools, instrument } from './instrument.ts';
import { PROJECTIONS } from './projections.ts';
import { projectionStoreFromEnv, snapshotStoreFromEnv } from './stores.ts';

const tools = createPowertools('eventlake-rebuild');
const bucket = requireEnv(LAMBDA_ENV.bucket);
const controlTableName = requireEnv(LAMBDA_ENV.controlTable);
const s3 = tools.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = projectionStoreFromEnv(dynamodb);
// Replay validates every event against the schema of its stored version and upcasts it; the built-in schemas ship
// in the bundle (`builtin/`, next to index.mjs: see infra/functions.ts).
const registry = SchemaRegistry.load();

const coordinator = new RebuildCoordinator({
  registry,
  upcast: registry.upcast,
  index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
  log: new S3EventLog({ client: s3, bucket }),
  store,
  snapshots: snapshotStoreFromEnv(dynamodb, store),
  archive: new S3ArchiveTier({ client: s3, bucket }),
  checkpoints: new DynamoDbCheckpointStore({ client: dynamodb, controlTableName }),
}, PROJECTIONS);

export const handler = instrument('rebuild', createRebuildHandler({ rebuild: coordinatorRebuild(coordinator), logger: tools.logger }), tools);
