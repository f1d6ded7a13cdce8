// Compaction leftovers as the log/index check sees them on the AWS adapters: S3EventLog's one-event objects on
// s3rver, DynamoDbEventIndex on DynamoDB Local (what `eventlake check --target aws` reads).

import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { S3ArchiveTier } from '../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE } from '../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../support/dynamodb-local.ts';
import { s3Target } from '../support/s3rver.ts';
import { leftoverCheckCases } from './log-index-check-leftovers-cases.ts';

leftoverCheckCases('S3 log and DynamoDB index', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'leftovers');
  return {
    log: new S3EventLog({ client: s3.client, bucket: s3.bucket }),
    index: new DynamoDbEventIndex({ client: db.client, tableName }),
    archive: new S3ArchiveTier({ client: s3.client, bucket: s3.bucket }),
    cleanup: () => db.deleteTable(tableName),
  };
});
