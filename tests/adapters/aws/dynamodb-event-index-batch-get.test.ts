// The emit's index reads against BatchGetItem as DynamoDB answers it (mocked): partial answers (UnprocessedKeys) in
// either read, duplicate keys refused, throttling. An identity DynamoDB did not answer for is never taken for a new one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetItemCommand, DynamoDBClient, type BatchGetItemCommandInput, type BatchGetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { readStr, type Item } from '../../../adapters/aws/dynamodb-codec.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { guardItem, toItem } from '../../../adapters/aws/dynamodb-index-items.ts';
import { INDEX_ATTR as A } from '../../../adapters/aws/table-keys.ts';
import { TransientError } from '../../../domain/errors.ts';
import { eventId, eventKey, type DomainEvent } from '../../../domain/event.ts';
import type { AppendResult, EventLog } from '../../../domain/ports/event-log.ts';
import type { ProjectionStore } from '../../../domain/ports/projection-store.ts';
import { Eventlake } from '../../../projections/eventlake.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const TABLE = 'index';
const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const index = new DynamoDbEventIndex({ client, tableName: TABLE, concurrency: 2 });
const deposit = SAMPLES['cash_deposit']! as DomainEvent;

const keyOf = (key: Item) => `${readStr(key, A.hour)}|${readStr(key, A.sortKey)}`;
const sizes = (calls: BatchGetItemCommandInput[]) => calls.map((c) => c.RequestItems![TABLE]!.Keys!.length);

/**
 * A table holding `items` that answers BatchGetItem as DynamoDB does: more than 100 keys or a key twice in one request
 * is a ValidationException; `unprocessed(call, keys)` picks the keys a call leaves for later (throttled). Returns the
 * requests it was sent.
 */
function table(items: readonly Item[], unprocessed: (call: number, keys: Item[]) => Item[] = () => []): BatchGetItemCommandInput[] {
  const stored = new Map(items.map((item) => [keyOf(item), item]));
  const calls: BatchGetItemCommandInput[] = [];
  ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput): BatchGetItemCommandOutput => {
    const keys = input.RequestItems![TABLE]!.Keys!;
    if (keys.length > 100) throw Object.assign(new Error('Too many items requested for the BatchGetItem call'), { name: 'ValidationException' });
    if (new Set(keys.map(keyOf)).size !== keys.length) throw Object.assign(new Error('Provided list of item keys contains duplicates'), { name: 'ValidationException' });
    calls.push(input);
    const left = unprocessed(calls.length, keys);
    const answered: Item[] = keys.filter((k) => !left.includes(k)).flatMap((k): Item[] => { const item = stored.get(keyOf(k)); return item ? [item] : []; });
    return { Responses: { [TABLE]: answered }, ...(left.length ? { UnprocessedKeys: { [TABLE]: { Keys: left } } } : {}), $metadata: {} };
  });
  return calls;
}

/** The items an indexed `event` has: its entry (at `key`) and its id guard. */
function indexed(event: DomainEvent, key: string): Item[] {
  const entry = toItem({ id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: [], location: { key }, size: 10, storageClass: 'STANDARD', restore: 'NONE' }, 1, 4);
  return [entry, guardItem(entry)];
}

/** A log that records what it was asked to append and stores it all. */
function recordingLog(): EventLog & { appended: DomainEvent[] } {
  const appended: DomainEvent[] = [];
  const log = {
    appended,
    append: async (events: readonly DomainEvent[]): Promise<AppendResult[]> => events.map((e) => {
      appended.push(e);
      return { id: eventId(e), key: eventKey(e), location: { key: eventKey(e) }, status: 'stored', size: 10 };
    }),
  };
  return log as unknown as EventLog & { appended: DomainEvent[] };
}

function lakeWith(log: EventLog): Eventlake {
  return new Eventlake({ registry: SchemaRegistry.load({ folders: [] }), log, store: {} as ProjectionStore, index });
}

const test = suite('DynamoDbEventIndex.getMany against BatchGetItem semantics (mocked DynamoDB)');
test.before.each(() => { ddb.reset(); });

test('an entry DynamoDB leaves unprocessed after its guard was read is asked for again and found', async () => {
  const [entry, guard] = indexed(deposit, 'events/segment.ndjson');
  // Call 1 reads the guard; call 2, the entry, is throttled whole; call 3 answers it.
  const calls = table([entry!, guard!], (call, keys) => (call === 2 ? keys : []));
  const found = await index.getMany([eventId(deposit)]);
  assert.is(found.get(eventId(deposit))?.location.key, 'events/segment.ndjson');
  assert.equal(sizes(calls), [1, 1, 1]);
});

test('no request carries a key twice: the same event twice in one emit, and a RequestId equal to its upper case', async () => {
  const digits = { ...deposit, RequestId: '12345678-1234-4234-8234-123456789012' };
  const calls = table([]);
  const log = recordingLog();
  const results = await lakeWith(log).emit([deposit, deposit, digits]);
  assert.equal(results.map((r) => r.status), ['stored', 'stored', 'stored']);
  // The deposit's id as given and in upper case, and the digits-only id once.
  assert.equal(sizes(calls), [3]);
});

test('more than 100 identities go in requests of at most 100 keys, each identity asked for once', async () => {
  const events = Array.from({ length: 120 }, (_, i) => ({ ...deposit, RequestId: `12345678-1234-4234-8234-${String(i).padStart(12, '0')}` }));
  const calls = table([]);
  await lakeWith(recordingLog()).emit(events);
  assert.equal(sizes(calls).sort((a, b) => b - a), [100, 20]);
});

test('a guard still unprocessed after every retry fails the emit as transient, and nothing is appended', async () => {
  table(indexed(deposit, 'events/segment.ndjson'), (_, keys) => keys);
  const log = recordingLog();
  const error = await rejects(() => lakeWith(log).emit(deposit), TransientError);
  assert.match(error.message, /unprocessed/);
  assert.equal(log.appended, []);
});

test('BatchGetItem throttled on every attempt fails the emit as TransientError, and nothing is appended', async () => {
  ddb.on(BatchGetItemCommand).rejects(Object.assign(new Error('throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
  const log = recordingLog();
  await rejects(() => lakeWith(log).emit(deposit), TransientError);
  assert.equal(log.appended, []);
});

test.run();
