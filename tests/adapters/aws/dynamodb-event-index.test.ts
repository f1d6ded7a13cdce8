// DynamoDbEventIndex on DynamoDB Local: hour buckets, account GSIs, position pages with ties, relocation, storage state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { partitionPrefix } from '../../../domain/event.ts';
import { EventNotFoundError, InvalidArgumentError } from '../../../domain/errors.ts';
import type { IndexEntry, NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { entryKey } from '../../../adapters/aws/dynamodb-index-items.ts';
import { EVENT_INDEX_TABLE, INDEX_ATTR } from '../../../adapters/aws/table-keys.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

function entry(id: string, timestamp: number, accounts: string[] = [], type = 'cash_deposit'): NewIndexEntry {
  return { id, type, timestamp, accounts, location: { key: `${partitionPrefix(timestamp)}${id}.event` }, size: 100, storageClass: 'STANDARD', restore: 'NONE' };
}

async function makeIndex(options: { positionShards?: number } = {}) {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return { db, tableName, index: new DynamoDbEventIndex({ client: db.client, tableName, ...options }) };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ids = (es: readonly IndexEntry[]) => es.map((e) => e.id);
const test = suite('DynamoDbEventIndex');

test('an indexed entry is read back by id with a position', async () => {
  const { index } = await makeIndex();
  const [stored] = await index.put([entry('a', T0, ['DE-1'])]);
  const got = await index.get('a');
  assert.equal(got, stored);
  assert.ok(got!.position > 0);
});

test('a second put of an indexed id keeps the first item and its position', async () => {
  const { index } = await makeIndex();
  const [first] = await index.put([entry('a', T0)]);
  const [again] = await index.put([{ ...entry('a', T0), size: 999 }]);
  assert.equal(again, first);
  assert.is(await index.count(), 1);
});

test('a batch mixing indexed and new ids keeps the indexed ones and writes the new ones', async () => {
  const { index } = await makeIndex();
  const [a] = await index.put([entry('a', T0)]);
  const [again, b, bAgain] = await index.put([entry('a', T0 + 99999), entry('b', T0 + 1), entry('b', T0 + 2)]);
  assert.equal(again, a);
  assert.equal([b!.timestamp, bAgain], [T0 + 1, b]);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 200000 }))), ['a', 'b']);
});

test('a type filter longer than the 100 operands of one DynamoDB IN still selects exactly the listed types', async () => {
  const { index } = await makeIndex();
  await index.put([entry('w', T0, [], 'cash_withdrawal'), entry('d', T0 + 1), entry('p', T0 + 2, [], 'incoming_payment')]);
  const types = [...Array.from({ length: 150 }, (_, i) => `unused_type_${i}`), 'cash_withdrawal', 'incoming_payment'];
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 10, types }))), ['w', 'p']);
});

test('between reads every hour bucket of the range in (timestamp, id) order, `to` exclusive', async () => {
  const { index } = await makeIndex();
  await index.put([entry('late', T0 + 7300), entry('b', T0 + 10), entry('a', T0 + 10), entry('out', T0 + 9000), entry('first', T0)]);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 9000 }))), ['first', 'a', 'b', 'late']);
});

test('between filters by event type on the server side', async () => {
  const { index } = await makeIndex();
  await index.put([entry('d', T0), entry('w', T0 + 1, [], 'cash_withdrawal'), entry('p', T0 + 2, [], 'incoming_payment')]);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 10, types: ['cash_withdrawal', 'incoming_payment'] }))), ['w', 'p']);
});

test('a transfer is found through its source and its target account, once when both are asked for', async () => {
  const { index } = await makeIndex();
  await index.put([entry('t', T0 + 5, ['DE-1', 'NL-2'], 'inter_account_transfer'), entry('d', T0, ['NL-2']), entry('x', T0, ['FR-3'])]);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 10, accounts: ['DE-1'] }))), ['t']);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 10, accounts: ['NL-2'] }))), ['d', 't']);
  assert.equal(ids(await all(index.between({ from: T0, to: T0 + 10, accounts: ['DE-1', 'NL-2'] }))), ['d', 't']);
});

test('afterPosition pages through every shard in ingestion order', async () => {
  const { index } = await makeIndex({ positionShards: 3 });
  const stored = await index.put(Array.from({ length: 10 }, (_, i) => entry(`e${i}`, T0 - i * 4000)));
  const seen: IndexEntry[] = [];
  for (let after = 0, page = await index.afterPosition(after, 3); page.entries.length > 0; after = page.next, page = await index.afterPosition(after, 3)) {
    assert.ok(page.entries.length <= 3);
    seen.push(...page.entries);
  }
  assert.equal(ids(seen), ids(stored));
  assert.is(await index.lastPosition(), stored.at(-1)!.position);
});

test('entries sharing a position come on one page, so none is skipped at a page boundary', async () => {
  const { db, tableName, index } = await makeIndex({ positionShards: 2 });
  const stored = await index.put(['a', 'b', 'c', 'd'].map((id) => entry(id, T0)));
  const tied = stored[1]!.position;
  await db.client.send(new UpdateItemCommand({
    TableName: tableName, Key: entryKey(stored[2]!), UpdateExpression: 'SET #p = :p',
    ExpressionAttributeNames: { '#p': INDEX_ATTR.position }, ExpressionAttributeValues: { ':p': { N: String(tied) } },
  }));
  const page = await index.afterPosition(stored[0]!.position, 1);
  assert.equal(ids(page.entries).sort(), ['b', 'c']);
  assert.is(page.next, tied);
  assert.equal(ids((await index.afterPosition(page.next, 5)).entries), ['d']);
});

test('an empty index has last position 0 and empty pages', async () => {
  const { index } = await makeIndex();
  assert.is(await index.lastPosition(), 0);
  assert.equal(await index.afterPosition(0, 10), { entries: [], next: 0 });
});

test('relocate points more than 100 entries at a segment, in transactions of at most 100', async () => {
  const { index } = await makeIndex();
  const stored = await index.put(Array.from({ length: 130 }, (_, i) => entry(`e${String(i).padStart(3, '0')}`, T0)));
  const key = `${partitionPrefix(T0)}segment.ndjson`;
  await index.relocate(stored.map((e, i) => ({ id: e.id, location: { key, offset: i * 10, length: 9 } })));
  assert.equal((await index.get('e129'))!.location, { key, offset: 1290, length: 9 });
  assert.equal((await index.objects()).map((o) => [o.key, o.events]), [[key, 130]]);
});

test('relocating an unknown id changes nothing', async () => {
  const { index } = await makeIndex();
  await index.put([entry('a', T0)]);
  await rejects(() => index.relocate([{ id: 'a', location: { key: 'elsewhere' } }, { id: 'ghost', location: { key: 'x' } }]), EventNotFoundError);
  assert.is((await index.get('a'))!.location.key, entry('a', T0).location.key);
});

test('setObjectStorage records the storage state of every entry stored in that object', async () => {
  const { index } = await makeIndex();
  const key = `${partitionPrefix(T0)}segment.ndjson`;
  await index.put([entry('a', T0), entry('b', T0 + 1), entry('c', T0 + 7200)]);
  await index.relocate([{ id: 'a', location: { key, offset: 0, length: 5 } }, { id: 'b', location: { key, offset: 6, length: 5 } }]);
  await index.setObjectStorage(key, 'GLACIER', 'RESTORING');
  assert.equal([(await index.get('a'))!.storageClass, (await index.get('b'))!.restore, (await index.get('c'))!.storageClass], ['GLACIER', 'RESTORING', 'STANDARD']);
});

test('objects lists each key once with its event count and bytes, optionally only those wholly before a time', async () => {
  const { index } = await makeIndex();
  const key = `${partitionPrefix(T0)}segment.ndjson`;
  await index.put([entry('a', T0), entry('b', T0 + 1), entry('c', T0 + 7200)]);
  await index.relocate([{ id: 'a', location: { key, offset: 0, length: 5 } }, { id: 'b', location: { key, offset: 6, length: 5 } }]);
  const objects = await index.objects({ before: T0 + 3600 });
  assert.equal(objects, [{ key, storageClass: 'STANDARD', restore: 'NONE', events: 2, bytes: 200, maxTimestamp: T0 + 1 }]);
  assert.is((await index.objects()).length, 2);
});

test('unreadableObjects lists the archived, unrestored objects holding events of a range, by hour buckets or by scan', async () => {
  const { index } = await makeIndex();
  const archived = (id: string, ts: number, storageClass: 'GLACIER' | 'DEEP_ARCHIVE', restore: 'NONE' | 'RESTORING' | 'RESTORED') =>
    ({ ...entry(id, ts), storageClass, restore });
  await index.put([
    archived('cold', T0, 'GLACIER', 'NONE'), archived('deep', T0 + 7200, 'DEEP_ARCHIVE', 'RESTORING'),
    archived('restored', T0 + 60, 'GLACIER', 'RESTORED'), entry('hot', T0 + 120), archived('later', T0 + 90 * 86_400, 'GLACIER', 'NONE'),
  ]);
  const key = (id: string) => `${partitionPrefix(id === 'deep' ? T0 + 7200 : T0)}${id}.event`;
  // Two days: hour buckets. The whole log: one scan.
  assert.equal(await index.unreadableObjects({ from: T0, to: T0 + 2 * 86_400 }), [key('cold'), key('deep')].sort());
  assert.equal(await index.unreadableObjects({ from: T0 + 1, to: T0 + 2 * 86_400 }), [key('deep')]);
  assert.equal((await index.unreadableObjects({ from: 0, to: T0 + 86_400 })).length, 2);
  assert.equal((await index.unreadableObjects({ from: 0, to: 4_102_444_801 })).length, 3);
});

test('an entry with a negative timestamp or three accounts is refused', async () => {
  const { index } = await makeIndex();
  await rejects(() => index.put([entry('neg', -5)]), InvalidArgumentError);
  await rejects(() => index.put([entry('many', T0, ['A', 'B', 'C'])]), InvalidArgumentError);
  assert.is(await index.count(), 0);
});

test.run();
