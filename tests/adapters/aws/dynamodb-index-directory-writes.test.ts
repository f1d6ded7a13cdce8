// The hour directory as DynamoDbEventIndex writes and lists it, against a mocked client: the exact requests, and their
// order (an hour's directory item before its entries, the marker only on an empty index).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchWriteItemCommand, DynamoDBClient, DynamoDBServiceException, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  TransactWriteItemsCommand, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const H = 1_714_000_000 - (1_714_000_000 % 3600); // 2024-04-24T23:00:00Z
const pad = (n: number) => String(n).padStart(12, '0');
const entry = (id: string, timestamp: number): NewIndexEntry => ({
  id, type: 'cash_deposit', timestamp, accounts: [], location: { key: `events/${id}.event` }, size: 1, storageClass: 'STANDARD', restore: 'NONE',
});
const directoryItem = (hour: number) => ({ PutRequest: { Item: { pk: { S: `HD#${new Date(hour * 1000).getUTCFullYear()}` }, sk: { S: pad(hour) } } } });
const names = () => ddb.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);

const test = suite('DynamoDbEventIndex hour directory: requests (mocked DynamoDB)');
test.before.each(() => {
  ddb.reset();
  ddb.on(ScanCommand).resolves({ Items: [] });
  ddb.on(PutItemCommand).resolves({});
  ddb.on(BatchWriteItemCommand).resolves({});
  ddb.on(TransactWriteItemsCommand).resolves({});
});

test('the first put of an empty index checks it is empty, writes the marker, then the hours\' items, then the entries', async () => {
  await new DynamoDbEventIndex({ client, tableName: 'index' }).put([entry('a', H + 5), entry('b', H + 3599), entry('c', H + 3600)]);
  assert.equal(names(), ['ScanCommand', 'PutItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
  assert.equal(ddb.commandCalls(PutItemCommand)[0]!.args[0].input, {
    TableName: 'index', Item: { pk: { S: 'HD#complete' }, sk: { S: '#' }, since: { N: '0' } },
    ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' },
  });
  assert.equal(ddb.commandCalls(BatchWriteItemCommand)[0]!.args[0].input, { RequestItems: { index: [directoryItem(H), directoryItem(H + 3600)] } });
});

test('an index that already holds entries gets no marker from a writer', async () => {
  ddb.on(ScanCommand).resolves({ Items: [{ pk: { S: 'ID#x' } }] });
  await new DynamoDbEventIndex({ client, tableName: 'index' }).put([entry('a', H)]);
  assert.equal(names(), ['ScanCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
  assert.equal(ddb.commandCalls(ScanCommand)[0]!.args[0].input.FilterExpression, 'NOT begins_with(#pk, :d)');
});

test('a marker another writer wrote first is kept, and the put goes on', async () => {
  ddb.on(PutItemCommand).rejects(new DynamoDBServiceException({ name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: {}, message: 'exists' }));
  const [stored] = await new DynamoDbEventIndex({ client, tableName: 'index' }).put([entry('a', H)]);
  assert.is(stored?.id, 'a');
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 1);
});

test('a writer puts an hour\'s directory item once, and checks for the marker once', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 'index' });
  await index.put([entry('a', H)]);
  await index.put([entry('b', H + 60)]);
  await index.put([entry('c', H + 7200), entry('d', H + 120)]);
  assert.is(ddb.commandCalls(ScanCommand).length, 1);
  assert.equal(ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems!['index']), [[directoryItem(H)], [directoryItem(H + 7200)]]);
});

test('a later put in an hour the writer recorded checks its directory item in the entries\' transaction, and only that hour', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 'index' });
  await index.put([entry('a', H)]);
  await index.put([entry('b', H + 60), entry('c', H + 3600)]);
  const [first, second] = ddb.commandCalls(TransactWriteItemsCommand).map((c) => c.args[0].input.TransactItems!.filter((t) => t.ConditionCheck));
  assert.equal(first, []);
  assert.equal(second, [{
    ConditionCheck: { TableName: 'index', Key: { pk: { S: 'HD#2024' }, sk: { S: pad(H) } }, ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } },
  }]);
});

test('a directory write that fails fails the put before any entry is written', async () => {
  ddb.on(BatchWriteItemCommand).rejects(new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'no' }));
  await rejects(() => new DynamoDbEventIndex({ client, tableName: 'index' }).put([entry('a', H)]), StorageError);
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 0);
});

test('directory items DynamoDB leaves unprocessed are written again before the entries', async () => {
  ddb.on(BatchWriteItemCommand).resolvesOnce({ UnprocessedItems: { index: [directoryItem(H)] } }).resolves({});
  await new DynamoDbEventIndex({ client, tableName: 'index' }).put([entry('a', H), entry('b', H + 3600)]);
  assert.equal(ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems!['index']), [[directoryItem(H), directoryItem(H + 3600)], [directoryItem(H)]]);
  assert.equal(names().slice(-1), ['TransactWriteItemsCommand']);
});

test('a range read lists the directory per UTC year from the marker on, and queries only the hours it lists', async () => {
  const Y2025 = Date.parse('2025-01-01T00:00:00Z') / 1000;
  ddb.on(GetItemCommand).resolves({ Item: { pk: { S: 'HD#complete' }, sk: { S: '#' }, since: { N: '0' } } });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':y': { S: 'HD#2024' }, ':lo': { S: pad(H) }, ':hi': { S: pad(Y2025 + 9) } } }).resolves({ Items: [{ pk: { S: 'HD#2024' }, sk: { S: pad(H) } }] });
  const ids: string[] = [];
  for await (const e of new DynamoDbEventIndex({ client, tableName: 'index' }).between({ from: H + 1, to: Y2025 + 10 })) ids.push(e.id);
  assert.equal(ids, []);
  assert.equal(ddb.commandCalls(GetItemCommand)[0]!.args[0].input, { TableName: 'index', Key: { pk: { S: 'HD#complete' }, sk: { S: '#' } }, ConsistentRead: true });
  const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input as QueryCommandInput);
  assert.equal(inputs[0], {
    TableName: 'index', KeyConditionExpression: '#pk = :y AND #sk BETWEEN :lo AND :hi', ConsistentRead: true,
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':y': { S: 'HD#2024' }, ':lo': { S: pad(H) }, ':hi': { S: pad(Y2025 + 9) } },
  });
  // The next years' listings are fetched ahead, so only the order within each kind is fixed.
  assert.equal(inputs.flatMap((i) => i.ExpressionAttributeValues![':y']?.S ?? []), ['HD#2024', 'HD#2025']);
  assert.equal(inputs.flatMap((i) => i.ExpressionAttributeValues![':pk']?.S ?? []), [`H#${H}`]);
});

test.run();
