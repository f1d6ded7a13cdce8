// A restore's start reaches the index on AWS: S3's "Object Restore Initiated" event makes the indexer HEAD the object
// (mocked here) and record RESTORING, which `query` then reports as `restoring` instead of as a plain unreadable object.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createIndexer } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { partitionPrefix, segmentKey } from '../../../domain/event.ts';

const s3 = mockClient(S3Client);
const segment = segmentKey(partitionPrefix(1_710_000_000));
const quiet = () => undefined;
const logger: LambdaLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };

const test = suite('indexer handler: Object Restore Initiated');

test('a restore S3 reports as started is recorded in the index as RESTORING, from HeadObject\'s ongoing-request="true"', async () => {
  s3.reset();
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER', Restore: 'ongoing-request="true"' });
  const recorded: [string, string, string][] = [];
  const handler = createIndexer({
    log: { async *readObject() { throw new Error('unused'); }, read: async () => { throw new Error('unused'); } },
    index: { put: async () => { throw new Error('unused'); }, get: async () => { throw new Error('unused'); }, setObjectStorage: async (k, c, r) => { recorded.push([k, c, r]); } },
    archive: new S3ArchiveTier({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'lake' }),
    dispatcher: { publish: async () => { throw new Error('unused'); } },
    logger, metrics: { addMetric: quiet },
  });
  await handler({
    'version': '0', 'id': 'n-1', 'detail-type': 'Object Restore Initiated', 'source': 'aws.s3', 'account': '111122223333',
    'time': '2024-03-21T00:00:00Z', 'region': 'eu-west-1', 'resources': ['arn:aws:s3:::lake'],
    'detail': { version: '0', bucket: { name: 'lake' }, object: { key: segment, size: 300_000, etag: 'e' }, 'source-storage-class': 'GLACIER' },
  });
  assert.equal(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input), [{ Bucket: 'lake', Key: segment }]);
  assert.equal(recorded, [[segment, 'GLACIER', 'RESTORING']]);
});

// mockClient replaces send on the client class for the whole process: later files of the same batch must get it back.
test.after(() => { s3.restore(); });

test.run();
