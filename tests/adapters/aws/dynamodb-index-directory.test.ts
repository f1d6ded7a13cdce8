// The hour directory of DynamoDbEventIndex on DynamoDB Local: a range read queries only the hours holding events, and
// an index written before the directory existed still yields every event of a range until its backfill.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { markerKey } from '../../../adapters/aws/dynamodb-index-directory.ts';
import { backfillDirectory } from '../../../adapters/aws/dynamodb-index-directory-writes.ts';
import { EVENT_INDEX_TABLE, INDEX_DIRECTORY } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry, idsBetween } from '../../support/index-entries.ts';
import { commandCounter, forgetDirectory } from '../../support/pre-directory-index.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3600;
/** 17 years: 2009-01-01 to 2026-01-01. */
const FROM = at('2009-01-01T00:00:00Z');
const TO = at('2026-01-01T00:00:00Z');

const entry = (id: string, timestamp: number) => hotEntry(id, timestamp, 100);

/** Events in three hours of the 17 years, two in one of them. */
const SPARSE = [entry('a', at('2010-05-01T10:15:00Z')), entry('b', at('2018-02-03T04:05:06Z')), entry('c', at('2018-02-03T04:59:59Z')), entry('d', at('2025-12-31T23:59:59Z'))];

const db = await dynamoDb();
const sent = commandCounter(db.client);

async function makeIndex() {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return { table, index: new DynamoDbEventIndex({ client: db.client, tableName: table }) };
}

/** The ids of the range, counting only the commands of this read. */
async function idsCounted(index: DynamoDbEventIndex, from: number, to: number): Promise<string[]> {
  sent.reset();
  return idsBetween(index, from, to);
}

const test = suite('DynamoDbEventIndex hour directory (DynamoDB Local)');

test('on a new index a 17-year range sends one Query per UTC year of the directory and one per hour holding events', async () => {
  const { index } = await makeIndex();
  await index.put(SPARSE);
  assert.equal(await idsCounted(index, FROM, TO), ['a', 'b', 'c', 'd']);
  assert.is(sent.count('QueryCommand'), 17 + 3);
});

test('an index written before the directory still yields every event of a range, querying each hour of it', async () => {
  const { table, index } = await makeIndex();
  const t0 = at('2024-04-24T00:00:00Z');
  await index.put([entry('x', t0 + 5), entry('y', t0 + 30 * HOUR), entry('z', t0 + 71 * HOUR + 59)]);
  assert.ok(await forgetDirectory(db.client, table) > 0);
  assert.equal(await idsCounted(index, t0, t0 + 72 * HOUR), ['x', 'y', 'z']);
  assert.is(sent.count('QueryCommand'), 72);
});

test('a writer of this version on an older index writes no marker: its old hours are still read, beside the new one', async () => {
  const { table, index } = await makeIndex();
  const t0 = at('2024-04-24T00:00:00Z');
  await index.put([entry('old', t0 + 5)]);
  await forgetDirectory(db.client, table);
  const writer = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await writer.put([entry('new', t0 + 10 * HOUR)]);
  assert.equal(await idsCounted(index, t0, t0 + 24 * HOUR), ['old', 'new']);
  assert.is(sent.count('QueryCommand'), 24);
});

test('the backfill lists every hour holding events: the range then queries only those, and finds the same events', async () => {
  const { table, index } = await makeIndex();
  await index.put(SPARSE);
  await forgetDirectory(db.client, table);
  const report = await backfillDirectory({ client: db.client, table });
  assert.equal(report, { hours: 3, first: at('2010-05-01T10:00:00Z'), last: at('2025-12-31T23:00:00Z') });
  assert.equal(await idsCounted(index, FROM, TO), ['a', 'b', 'c', 'd']);
  assert.is(sent.count('QueryCommand'), 17 + 3);
});

test('the backfill of an empty index marks it complete, and running it again changes nothing', async () => {
  const { table, index } = await makeIndex();
  assert.equal(await backfillDirectory({ client: db.client, table }), { hours: 0 });
  assert.equal(await backfillDirectory({ client: db.client, table }), { hours: 0 });
  assert.equal(await idsCounted(index, FROM, TO), []);
  assert.is(sent.count('QueryCommand'), 17);
});

test('hours before the marker\'s since are queried one by one, so an event there without a directory item is found', async () => {
  const { table, index } = await makeIndex();
  const t0 = at('2024-04-24T00:00:00Z');
  await index.put([entry('before', t0 + 5), entry('after', t0 + 3 * HOUR)]);
  await forgetDirectory(db.client, table);
  await db.client.send(new PutItemCommand({ TableName: table, Item: { ...markerKey(), [INDEX_DIRECTORY.since]: { N: String(t0 + 2 * HOUR) } } }));
  await new DynamoDbEventIndex({ client: db.client, tableName: table }).put([entry('listed', t0 + 4 * HOUR)]);
  // `after` was indexed with no directory item after the marker's hour: the directory is trusted from there on.
  assert.equal(await idsCounted(index, t0, t0 + 6 * HOUR), ['before', 'listed']);
  assert.is(sent.count('QueryCommand'), 2 + 1 + 1);
});

test('a range starting inside an hour and ending inside another reads both hours and keeps their bounds', async () => {
  const { index } = await makeIndex();
  const t0 = at('2024-04-24T00:00:00Z');
  await index.put([entry('early', t0 + 10), entry('in1', t0 + 20), entry('in2', t0 + HOUR + 5), entry('late', t0 + HOUR + 50)]);
  assert.equal(await idsCounted(index, t0 + 20, t0 + HOUR + 50), ['in1', 'in2']);
  assert.is(sent.count('QueryCommand'), 1 + 2);
});

test.run();
