// The hour directory when a writer's memory of it is wrong (DynamoDB Local): a writer remembers the hours it has
// recorded, but the table may lose a directory item behind its back (restored from a point before the item was
// written, or deleted and created again under the same name while a Lambda container lives on). An entry must then
// never be committed in an hour the directory does not list, or range reads skip it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { directoryKey } from '../../../adapters/aws/dynamodb-index-directory.ts';
import { deleteTable, ensureTable } from '../../../adapters/aws/dynamodb-tables.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry as entry, idsBetween } from '../../support/index-entries.ts';

const HOUR = 3600;
const T0 = Date.parse('2024-04-24T00:00:00Z') / 1000;

const db = await dynamoDb();

const idsIn = (table: string, from: number, to: number) => idsBetween(new DynamoDbEventIndex({ client: db.client, tableName: table }), from, to);

const test = suite('DynamoDbEventIndex hour directory: a directory item the writer remembers but the table lost');

test('a writer whose hour\'s directory item is gone puts it again before committing an entry there', async () => {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const writer = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await writer.put([entry('a', T0 + 5)]);
  await db.client.send(new DeleteItemCommand({ TableName: table, Key: directoryKey(T0) }));
  await writer.put([entry('b', T0 + 10)]);
  assert.equal(await idsIn(table, T0, T0 + HOUR), ['a', 'b']);
});

test('a writer that outlives its table (created again under the same name, marked by a new writer) still lists its hours', async () => {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const old = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await old.put([entry('before', T0 + 5)]);
  await deleteTable(db.client, table, { initialDelayMs: 50 });
  await ensureTable(db.client, table, EVENT_INDEX_TABLE, { initialDelayMs: 50 });
  await new DynamoDbEventIndex({ client: db.client, tableName: table }).put([entry('fresh', T0 + 2 * HOUR)]);
  await old.put([entry('reused', T0 + 20)]);
  assert.equal(await idsIn(table, T0, T0 + 3 * HOUR), ['reused', 'fresh']);
});

test('entries of many hours the writer remembers fit their transactions with the directory checks', async () => {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const writer = new DynamoDbEventIndex({ client: db.client, tableName: table });
  const hours = Array.from({ length: 60 }, (_, i) => T0 + i * HOUR);
  await writer.put(hours.map((h, i) => entry(`first${i}`, h)));
  await writer.put(hours.map((h, i) => entry(`second${i}`, h + 1)));
  const ids = await idsIn(table, T0, T0 + 60 * HOUR);
  assert.is(ids.length, 120);
  assert.equal(ids.slice(0, 2), ['first0', 'second0']);
});

test.run();
