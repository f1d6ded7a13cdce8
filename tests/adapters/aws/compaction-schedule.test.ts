// Scheduled compaction on the AWS adapters: S3EventLog on s3rver, DynamoDbEventIndex and DynamoDbCheckpointStore on
// DynamoDB Local (each test gets its own tables and an emptied bucket).
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';
import { compactionScheduleCases } from '../../projections/compaction-schedule-cases.ts';

compactionScheduleCases('S3 log, DynamoDB index and control table', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'compaction-index'), db.createTable(CONTROL_TABLE, 'compaction-control')]);
  return {
    log: new S3EventLog({ client: s3.client, bucket: s3.bucket }),
    index: new DynamoDbEventIndex({ client: db.client, tableName: indexTable }),
    checkpoints: new DynamoDbCheckpointStore({ client: db.client, controlTableName: controlTable }),
    cleanup: async () => { await Promise.all([db.deleteTable(indexTable), db.deleteTable(controlTable)]); },
  };
});
