// The indexer Lambda's logic: S3 "Object Created" notifications → index entries → bus, directly and from SQS batches.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { S3ObjectCreatedNotificationEvent, SQSEvent } from 'aws-lambda';
import { createIndexer } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { LambdaLogger, LambdaMetrics } from '../../../adapters/aws/lambda/observability.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { TransientError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import type { PublishOutcome } from '../../../domain/ports/dispatcher.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import type { EventLog, LocatedEvent } from '../../../domain/ports/event-log.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const deposit = SAMPLES.cash_deposit!;
const transfer = SAMPLES.inter_account_transfer!;

function objectCreated(key: string): S3ObjectCreatedNotificationEvent {
  return {
    version: '0', id: `n-${key.length}`, 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333', time: '2024-03-07T09:00:00Z',
    region: 'eu-west-1', resources: ['arn:aws:s3:::lake'],
    detail: {
      version: '0', bucket: { name: 'lake' }, object: { key, size: 300, etag: 'e', 'version-id': 'v1', sequencer: '01' }, 'request-id': 'r',
      requester: '111122223333', 'source-ip-address': '10.0.0.1', reason: 'PutObject',
    },
  };
}

function sqs(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`, receiptHandle: `h${i}`, body, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {},
    })),
  };
}

/** A log with one-event objects in memory, an index and a bus that record, and a logger/metrics that keep everything. */
function harness(options: { publishFails?: boolean; log?: Pick<EventLog, 'readObject' | 'read'> } = {}) {
  const objects = new Map([deposit, transfer].map((e) => [eventKey(e), e]));
  const indexed: NewIndexEntry[][] = [];
  const published: DomainEvent[][] = [];
  const logs: string[] = [];
  const metrics: [string, number][] = [];
  const log: Pick<EventLog, 'readObject' | 'read'> = options.log ?? {
    async *readObject(key: string): AsyncIterable<LocatedEvent> {
      const event = objects.get(key);
      if (event) yield { event, location: { key } };
    },
    read: async () => { throw new Error('present objects are read whole'); },
  };
  const record = (level: string) => (message: string, ...attrs: Record<string, unknown>[]) => { logs.push(JSON.stringify({ level, message, ...Object.assign({}, ...attrs) })); };
  const logger: LambdaLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const recorder: LambdaMetrics = { addMetric: (name, _unit, value) => { metrics.push([name, value]); } };
  const handler = createIndexer({
    log,
    index: { put: async (entries) => { indexed.push([...entries]); return entries.map((e, i) => ({ ...e, position: i + 1 })); }, setObjectStorage: async () => {}, get: async () => undefined },
    archive: { storage: async () => [] },
    dispatcher: {
      publish: async (events) => {
        published.push([...events]);
        return events.map((e): PublishOutcome => (options.publishFails ? { id: eventId(e), status: 'failed', error: 'ThrottlingException: slow' } : { id: eventId(e), status: 'published' }));
      },
    },
    logger, metrics: recorder,
  });
  return { handler, indexed, published, logs, metrics };
}

const test = suite('indexer handler');

test('an Object Created notification indexes the object\'s event as a hot entry, with its content digest, and publishes it', async () => {
  const h = harness();
  const summary = await h.handler(objectCreated(eventKey(deposit)));
  assert.equal(h.indexed, [[{
    id: eventId(deposit), type: 'cash_deposit', timestamp: deposit.EventTimeStamp, accounts: ['DE44-5001-0517'],
    location: { key: eventKey(deposit) }, size: Buffer.byteLength(serializeEvent(deposit)), storageClass: 'STANDARD', restore: 'NONE',
    digest: eventDigest(deposit),
  }]]);
  assert.equal(h.published, [[deposit]]);
  assert.equal(summary, { key: eventKey(deposit), indexed: 1, published: 1 });
});

test('the events indexed are counted in the EventsIndexed metric', async () => {
  const h = harness();
  await h.handler(objectCreated(eventKey(transfer)));
  assert.equal(h.metrics, [['EventsIndexed', 1]]);
});

test('logs name identities and keys, never payload fields or the account number', async () => {
  const failing = harness({ publishFails: true });
  const working = harness();
  await failing.handler(objectCreated(eventKey(deposit))).catch(() => undefined);
  await working.handler(objectCreated(eventKey(deposit)));
  const text = [...failing.logs, ...working.logs].join('\n');
  assert.ok(text.includes(eventKey(deposit)), 'the key is logged');
  for (const secret of ['123.45', 'DE44-5001-0517', 'Some Free Form Text', '111122223333']) assert.not.ok(text.includes(secret), `${secret} leaked`);
});

test('compacted segments and keys outside events/ are skipped, not indexed', async () => {
  const h = harness();
  await h.handler(objectCreated(segmentKey(partitionPrefix(deposit.EventTimeStamp))));
  await h.handler(objectCreated('athena-results/q1.csv'));
  assert.equal([h.indexed, h.published], [[], []]);
});

test('a failed publish fails the invocation so the notification is delivered again', async () => {
  const h = harness({ publishFails: true });
  await rejects(() => h.handler(objectCreated(eventKey(deposit))), TransientError);
  assert.is(h.indexed.length, 1);
});

test('a URL-encoded key from a classic S3 notification is decoded', async () => {
  const h = harness();
  await h.handler(objectCreated(eventKey(deposit).replace(/=/g, '%3D')));
  assert.equal(h.published, [[deposit]]);
});

test('from SQS, only the records that failed are reported for redelivery', async () => {
  const h = harness();
  const out = await h.handler(sqs(JSON.stringify(objectCreated(eventKey(deposit))), 'not json', JSON.stringify(objectCreated(eventKey(transfer)))));
  assert.equal(out, { batchItemFailures: [{ itemIdentifier: 'm1' }] });
  assert.equal(h.published.flat().map(eventId).sort(), [eventId(deposit), eventId(transfer)].sort());
});

test.run();

const live = suite('indexer handler with S3EventLog');
live.after(() => stopS3());

live('an event appended with S3EventLog is indexed from its notification', async () => {
  const target = await s3Target();
  await target.empty();
  const log = new S3EventLog({ client: target.client, bucket: target.bucket });
  const [stored] = await log.append([transfer]);
  const h = harness({ log });
  await h.handler(objectCreated(stored!.key));
  assert.equal(h.indexed[0]?.map((e) => [e.id, e.location]), [[eventId(transfer), { key: stored!.key }]]);
});

live.run();
