// The log/index check contract on the AWS adapters: S3EventLog on s3rver, DynamoDbEventIndex on DynamoDB Local.
// s3rver has no archive classes, so archiving is the archive tier's answer for a key (what HeadObject says of an
// object a lifecycle rule moved); reading such an object is still refused by the contract's recording log.
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import type { ArchiveTier } from '../../../domain/ports/archive-tier.ts';
import type { RestoreState } from '../../../domain/ports/storage.ts';
import { logIndexCheckContract } from '../../contracts/log-index-check.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';

logIndexCheckContract('S3 log and DynamoDB index', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'check');
  const tier = new S3ArchiveTier({ client: s3.client, bucket: s3.bucket });
  const glacier = new Map<string, RestoreState>();
  const archive: ArchiveTier = {
    storage: async (keys) => (await tier.storage(keys)).map((s) => {
      const restore = glacier.get(s.key);
      return restore ? { key: s.key, storageClass: 'GLACIER', restore } : s;
    }),
    transition: (key, storageClass) => tier.transition(key, storageClass),
    restore: (keys, request) => tier.restore(keys, request),
  };
  return {
    log: new S3EventLog({ client: s3.client, bucket: s3.bucket }),
    index: new DynamoDbEventIndex({ client: db.client, tableName }),
    archive,
    archiveObject: async (key, restored) => { glacier.set(key, restored ? 'RESTORED' : 'NONE'); },
    cleanup: () => db.deleteTable(tableName),
  };
});
