// The rebuild function's wiring: clients, stores and the coordinator over the deployment's registry and projections.
// Both entries call it once per container: rebuild.ts with the built-ins, and the entry infra generates for a stack
// with an extensions module, with that module (infra/user-code.ts).

import type { Context } from 'aws-lambda';
import type { Extensions } from '../../../projections/extensions.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { DynamoDbCheckpointStore } from '../dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3ArchiveTier } from '../s3-archive-tier.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { functionClients } from './clients.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';
import { coordinatorRebuild, createRebuildHandler } from './create-rebuild.ts';
import { deploymentFrom, type Deployment } from './deployment.ts';
import { createPowertools, instrument } from './instrument.ts';
import { projectionStoreFromEnv, snapshotStoreFromEnv } from './stores.ts';

/**
 * The rebuild handler, and the deployment it replays with (exported by the entries so a test of the bundle can see
 * what the deployed code validates and folds).
 *
 * @example
 * export const { handler } = setUpRebuild();
 */
export function setUpRebuild(extensions: Extensions = {}): { handler: (payload: unknown, context: Context) => Promise<unknown>; deployment: Deployment } {
  const tools = createPowertools('eventlake-rebuild');
  const bucket = requireEnv(LAMBDA_ENV.bucket);
  const controlTableName = requireEnv(LAMBDA_ENV.controlTable);
  const { s3, dynamodb } = functionClients(tools.tracer);
  const store = projectionStoreFromEnv(dynamodb);
  // Replay validates every event against the schema of its stored version and upcasts it: the built-in schemas ship
  // in the bundle (`builtin/`, next to index.mjs), the user's folders beside them (see infra/functions.ts).
  const deployment = deploymentFrom(extensions);
  const { registry } = deployment;
  const coordinator = new RebuildCoordinator({
    registry,
    upcast: registry.upcast,
    index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
    log: new S3EventLog({ client: s3, bucket }),
    store,
    snapshots: snapshotStoreFromEnv(dynamodb, store),
    archive: new S3ArchiveTier({ client: s3, bucket }),
    checkpoints: new DynamoDbCheckpointStore({ client: dynamodb, controlTableName }),
  }, deployment.projections);
  return { handler: instrument('rebuild', createRebuildHandler({ rebuild: coordinatorRebuild(coordinator), logger: tools.logger }), tools), deployment };
}
