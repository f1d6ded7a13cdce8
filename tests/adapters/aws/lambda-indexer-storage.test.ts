// The indexer Lambda's second job: S3 storage-class changes and restores of log objects → the index's storage state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SQSEvent } from 'aws-lambda';
import { createIndexer } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { BusEvent } from '../../../adapters/aws/lambda/envelopes.ts';
import { STORAGE_CHANGE_TYPES } from '../../../adapters/aws/lambda/storage-changes.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { EventNotFoundError } from '../../../domain/errors.ts';
import { partitionPrefix, segmentKey } from '../../../domain/event.ts';
import type { ObjectStorage } from '../../../domain/ports/storage.ts';
import { SAMPLES } from '../../support/samples.ts';

const segment = segmentKey(partitionPrefix(SAMPLES.cash_deposit!.EventTimeStamp));

function s3Event(detailType: string, key: string, extra: Record<string, unknown> = {}): BusEvent {
  return {
    'version': '0', 'id': `n-${detailType.length}`, 'detail-type': detailType, 'source': 'aws.s3', 'account': '111122223333',
    'time': '2024-03-21T00:00:00Z', 'region': 'eu-west-1', 'resources': ['arn:aws:s3:::lake'],
    'detail': { version: '0', bucket: { name: 'lake' }, object: { key, size: 300_000, etag: 'e', 'version-id': 'v1' }, 'request-id': 'r', requester: 's3.amazonaws.com', ...extra },
  };
}

/** An archive tier that answers from `states` (missing keys: not found), and an index that records its updates. */
function harness(states: Record<string, Omit<ObjectStorage, 'key'>>) {
  const recorded: [string, string, string][] = [];
  const asked: string[] = [];
  const quiet = () => undefined;
  const logger: LambdaLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  const handler = createIndexer({
    log: { async *readObject() { throw new Error('a storage change reads no object'); }, read: async () => { throw new Error('a storage change reads no event'); } },
    index: {
      put: async () => { throw new Error('a storage change indexes nothing'); },
      setObjectStorage: async (key, storageClass, restore) => { recorded.push([key, storageClass, restore]); },
      get: async () => { throw new Error('a storage change looks up no event'); },
    },
    archive: {
      storage: async (keys) => keys.map((key) => {
        asked.push(key);
        const state = states[key];
        if (!state) throw new EventNotFoundError(key);
        return { key, ...state };
      }),
    },
    dispatcher: { publish: async () => { throw new Error('a storage change publishes nothing'); } },
    logger, metrics: { addMetric: quiet },
  });
  return { handler, recorded, asked };
}

const test = suite('indexer handler: storage changes');

test('the rule\'s four S3 event types are the ones handled, a restore\'s start among them', () => {
  assert.equal([...STORAGE_CHANGE_TYPES], ['Object Storage Class Changed', 'Object Restore Initiated', 'Object Restore Completed', 'Object Restore Expired']);
});

test('a lifecycle transition is recorded in the index with the class S3 reports for the object now', async () => {
  const h = harness({ [segment]: { storageClass: 'GLACIER', restore: 'NONE' } });
  const summary = await h.handler(s3Event('Object Storage Class Changed', segment, { 'destination-storage-class': 'GLACIER' }));
  assert.equal(h.recorded, [[segment, 'GLACIER', 'NONE']]);
  assert.equal(summary, { key: segment, indexed: 0, published: 0, storage: { storageClass: 'GLACIER', restore: 'NONE' } });
});

test('the object\'s current state wins over the event\'s, so a late or repeated event cannot set an old state', async () => {
  // A GLACIER notice delivered after the object already moved on to DEEP_ARCHIVE.
  const h = harness({ [segment]: { storageClass: 'DEEP_ARCHIVE', restore: 'NONE' } });
  await h.handler(s3Event('Object Storage Class Changed', segment, { 'destination-storage-class': 'GLACIER' }));
  assert.equal(h.recorded, [[segment, 'DEEP_ARCHIVE', 'NONE']]);
});

test('a completed restore and an expired restored copy are recorded too', async () => {
  const restored = harness({ [segment]: { storageClass: 'GLACIER', restore: 'RESTORED', restoreExpiresAt: 1_711_000_000_000 } });
  await restored.handler(s3Event('Object Restore Completed', segment, { 'source-storage-class': 'GLACIER', 'restore-expiry-time': '2024-03-22T00:00:00Z' }));
  const expired = harness({ [segment]: { storageClass: 'GLACIER', restore: 'NONE' } });
  await expired.handler(s3Event('Object Restore Expired', segment));
  assert.equal([...restored.recorded, ...expired.recorded], [[segment, 'GLACIER', 'RESTORED'], [segment, 'GLACIER', 'NONE']]);
});

test('an object removed since (a compacted original) is skipped, not an error to retry', async () => {
  const h = harness({});
  const summary = await h.handler(s3Event('Object Storage Class Changed', segment, { 'destination-storage-class': 'GLACIER' }));
  assert.equal(h.recorded, []);
  assert.equal(summary, { key: segment, indexed: 0, published: 0 });
});

test('keys outside events/ are skipped without a request', async () => {
  const h = harness({});
  await h.handler(s3Event('Object Storage Class Changed', 'athena-results/q1.csv'));
  assert.equal([h.asked, h.recorded], [[], []]);
});

test('storage changes redriven from the dead-letter queue are recorded like direct ones', async () => {
  const h = harness({ [segment]: { storageClass: 'DEEP_ARCHIVE', restore: 'NONE' } });
  const body = JSON.stringify(s3Event('Object Storage Class Changed', segment, { 'destination-storage-class': 'DEEP_ARCHIVE' }));
  const batch = {
    Records: [{
      messageId: 'm0', receiptHandle: 'h0', body, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
    }],
  } as SQSEvent;
  assert.equal(await h.handler(batch), { batchItemFailures: [] });
  assert.equal(h.recorded, [[segment, 'DEEP_ARCHIVE', 'NONE']]);
});

test.run();
