// The indexer on DynamoDB Local: an identity already indexed at another key (another hour) with other content is not published;
// other bytes there are a conflicting copy (logged with both keys, ConflictingCopies), never an indexed event.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { createIndexer, indexEntryOf, type IndexerSummary } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import type { LocatedEvent } from '../../../domain/ports/event-log.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00' };
const otherHour = (amount: string): DomainEvent => ({ ...first, EventTimeStamp: 1_714_200_000, Amount: amount });

const created = (key: string) => ({ 'detail-type': 'Object Created', source: 'aws.s3', id: key, detail: { object: { key } } }) as unknown as S3ObjectCreatedNotificationEvent;

async function harness() {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const index = new DynamoDbEventIndex({ client: db.client, tableName });
  const objects = new Map<string, DomainEvent>();
  const published: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const metrics: Record<string, number> = {};
  const record = (level: string) => (message: string, ...attrs: Record<string, unknown>[]) => { logs.push({ level, message, ...Object.assign({}, ...attrs) }); };
  const logger: LambdaLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const handler = createIndexer({
    log: {
      async *readObject(key: string): AsyncIterable<LocatedEvent> { yield { event: objects.get(key)!, location: { key } }; },
      read: async (location) => objects.get(location.key)!,
    },
    index,
    archive: { storage: async () => [] },
    dispatcher: { publish: async (events) => events.map((e) => { published.push(`${e.EventTimeStamp}:${e.Amount}`); return { id: eventId(e), status: 'published' as const }; }) },
    logger, metrics: { addMetric: (name, _unit, value) => { metrics[name] = (metrics[name] ?? 0) + value; } },
  });
  const notify = async (event: DomainEvent) => {
    objects.set(eventKey(event), event);
    return (await handler(created(eventKey(event)))) as IndexerSummary;
  };
  /** An entry the index holds already (as compaction or an older indexer wrote it), with `event` stored at `key`. */
  const seed = async (event: DomainEvent, key: string, options: { digest: boolean }) => {
    objects.set(key, event);
    const { digest, ...noDigest } = indexEntryOf({ event, location: { key } });
    await index.put([options.digest ? { ...noDigest, digest } : noDigest]);
  };
  return { notify, seed, published, logs, metrics };
}

const test = suite('indexer: one identity at two keys');

test('a copy at another key with other bytes is never published, and is counted as a conflict, not as indexed', async () => {
  const h = await harness();
  await h.notify(first);
  const summary = await h.notify(otherHour('900.00'));
  assert.equal(h.published, ['1714000050:100.00']);
  assert.equal(summary, { key: eventKey(otherHour('900.00')), indexed: 0, published: 0, conflicts: 1 });
  assert.equal(h.metrics, { EventsIndexed: 1, ConflictingCopies: 1 });
});

test('a conflicting copy is logged once as an error naming the identity, both keys and which one the index holds', async () => {
  const h = await harness();
  await h.notify(first);
  await h.notify(otherHour('900.00'));
  const errors = h.logs.filter((l) => l.level === 'error');
  assert.is(errors.length, 1);
  assert.equal({ id: errors[0]!.id, key: errors[0]!.key, indexedKey: errors[0]!.indexedKey }, { id: eventId(first), key: eventKey(otherHour('900.00')), indexedKey: eventKey(first) });
  assert.not.ok(JSON.stringify(h.logs).includes('900.00'), 'the log names keys, never the payload');
});

test('a redelivered notification of an indexed event is published again but counted as a duplicate, not indexed', async () => {
  const h = await harness();
  await h.notify(first);
  const again = await h.notify(first);
  assert.equal(h.published, ['1714000050:100.00', '1714000050:100.00']);
  assert.equal(again, { key: eventKey(first), indexed: 0, published: 1, duplicates: 1 });
  assert.equal(h.metrics, { EventsIndexed: 1, EventsDuplicate: 1 });
});

test('a copy at another key with the same bytes (a segment compaction wrote) is published again as a duplicate, quietly', async () => {
  // As a redelivery is: projectors apply an identity once, and a notification redriven from the DLQ after compaction
  // re-pointed the index must still reach them.
  const h = await harness();
  await h.seed(first, 'events/year=2024/month=04/day=24/hour=23/segment-1.events', { digest: true });
  const summary = await h.notify(first);
  assert.is(h.published.length, 1);
  assert.equal(summary, { key: eventKey(first), indexed: 0, published: 1, duplicates: 1 });
  assert.is(h.logs.filter((l) => l.level === 'error').length, 0);
});

test('an entry indexed before digests is compared by reading its copy: other bytes are a conflict', async () => {
  const h = await harness();
  await h.seed(first, eventKey(first), { digest: false });
  const summary = await h.notify(otherHour('900.00'));
  assert.equal(h.published, []);
  assert.is(summary.conflicts, 1);
});

test.run();
