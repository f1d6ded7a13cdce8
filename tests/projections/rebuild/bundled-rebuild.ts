// The rebuild function's code as rules-synth-aws.test.ts bundles it: setUpRebuild's wiring (the deployment from the
// environment, the coordinator on the DynamoDB stores, coordinatorRebuild), read at each call, but without Powertools,
// with generation tables without point-in-time recovery, which DynamoDB Local does not have, and an index whose
// positions settle at once (inFlightMs 0).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { LAMBDA_ENV, requireEnv } from '../../../adapters/aws/lambda/config.ts';
import { coordinatorRebuild, parseRebuildRequest } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { deploymentFrom } from '../../../adapters/aws/lambda/deployment.ts';
import { snapshotStoreFromEnv } from '../../../adapters/aws/lambda/stores.ts';
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';

/** What the function answers to `payload` (a rebuild request), with the stack its environment names. */
export async function rebuild(payload: unknown): Promise<unknown> {
  const [bucket, controlTableName] = [requireEnv(LAMBDA_ENV.bucket), requireEnv(LAMBDA_ENV.controlTable)];
  const s3 = new S3Client({ forcePathStyle: true });
  const dynamodb = new DynamoDBClient({});
  const store = new DynamoDbProjectionStore({ client: dynamodb, controlTableName, tablePrefix: requireEnv(LAMBDA_ENV.tablePrefix), tableSettings: { pointInTimeRecovery: false } });
  const deployment = deploymentFrom();
  const coordinator = new RebuildCoordinator({
    registry: deployment.registry, upcast: deployment.registry.upcast, store,
    // One DynamoDB Local, written before the call: nothing stays in flight, so no 2-minute wait for positions to settle.
    index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable), inFlightMs: 0 }),
    log: new S3EventLog({ client: s3, bucket }),
    snapshots: snapshotStoreFromEnv(dynamodb, store),
    archive: new S3ArchiveTier({ client: s3, bucket }),
    checkpoints: new DynamoDbCheckpointStore({ client: dynamodb, controlTableName }),
  }, deployment.projections);
  try {
    return await coordinatorRebuild(coordinator)(parseRebuildRequest(payload));
  } finally {
    s3.destroy();
    dynamodb.destroy();
  }
}
