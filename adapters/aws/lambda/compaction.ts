// Lambda entry of the scheduled compaction: clients built once per container; logic in createCompaction.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbCheckpointStore } from '../dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';
import { compactionSettingsFromEnv, createCompaction } from './create-compaction.ts';
import { createPowertools, instrument } from './instrument.ts';

const tools = createPowertools('eventlake-compaction');
const bucket = requireEnv(LAMBDA_ENV.bucket);
const s3 = tools.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));

export const handler = instrument('compaction', createCompaction({
  log: new S3EventLog({ client: s3, bucket }),
  index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
  checkpoints: new DynamoDbCheckpointStore({ client: dynamodb, controlTableName: requireEnv(LAMBDA_ENV.controlTable) }),
  settings: compactionSettingsFromEnv(),
  logger: tools.logger,
  metrics: tools.metrics,
}), tools);
