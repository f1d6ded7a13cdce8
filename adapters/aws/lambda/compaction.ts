// Lambda entry of the scheduled compaction: clients built once per container; logic in createCompaction.

import { DynamoDbCheckpointStore } from '../dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { functionClients } from './clients.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';
import { compactionSettingsFromEnv, createCompaction } from './create-compaction.ts';
import { createPowertools, instrument } from './instrument.ts';

const tools = createPowertools('eventlake-compaction');
const bucket = requireEnv(LAMBDA_ENV.bucket);
const { s3, dynamodb } = functionClients(tools.tracer);

export const handler = instrument('compaction', createCompaction({
  log: new S3EventLog({ client: s3, bucket }),
  index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
  checkpoints: new DynamoDbCheckpointStore({ client: dynamodb, controlTableName: requireEnv(LAMBDA_ENV.controlTable) }),
  settings: compactionSettingsFromEnv(),
  logger: tools.logger,
  metrics: tools.metrics,
}), tools);
