// Hour-bucket reads of DynamoDbEventIndex against a mocked client: one Query per hour, pages followed, order kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, QueryCommand, ScanCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { hourItems } from '../../../adapters/aws/dynamodb-index-hours.ts';
import { typeFilter } from '../../../adapters/aws/dynamodb-index-items.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const H = 1_699_999_200; // an hour start
const item = (sk: string) => ({ pk: { S: 'H#' }, sk: { S: sk } });
const pk = (input: QueryCommandInput) => input.ExpressionAttributeValues![':pk']!.S;

async function collect(from: number, to: number, window?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const i of hourItems({ client, table: 'index', from, to, filter: typeFilter(undefined), ...(window ? { window } : {}) })) out.push(i['sk']!.S!);
  return out;
}

const test = suite('DynamoDbEventIndex hour buckets (mocked DynamoDB)');
// An index with entries and no directory marker (indexed before the directory): read hour by hour.
test.before.each(() => { ddb.reset(); ddb.on(ScanCommand).resolves({ Items: [item('x')] }); });

test('each hour of the range is queried, its pages followed, and items come out in hour order', async () => {
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: `H#${H}` } } }).resolves({ Items: [item('a')], LastEvaluatedKey: { pk: { S: 'x' }, sk: { S: 'a' } } });
  ddb.on(QueryCommand, { ExclusiveStartKey: { pk: { S: 'x' }, sk: { S: 'a' } } }).resolves({ Items: [item('b')] });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: `H#${H + 3600}` } } }).resolves({ Items: [] });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: `H#${H + 7200}` } } }).resolves({ Items: [item('c')] });
  assert.equal(await collect(H + 10, H + 7300, 2), ['a', 'b', 'c']);
  const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
  assert.equal(inputs.filter((i) => !i.ExclusiveStartKey).map(pk), [`H#${H}`, `H#${H + 3600}`, `H#${H + 7200}`]);
  assert.equal(inputs[0]!.ExpressionAttributeValues![':lo'], { S: String(H + 10).padStart(12, '0') });
  assert.equal(inputs[0]!.ExpressionAttributeValues![':hi'], { S: String(H + 7300).padStart(12, '0') });
  assert.is(inputs[0]!.ConsistentRead, true);
});

test('a range inside one hour is one Query', async () => {
  ddb.on(QueryCommand).resolves({ Items: [] });
  assert.equal(await collect(H + 5, H + 60), []);
  assert.is(ddb.commandCalls(QueryCommand).length, 1);
});

test('a consumer that stops early leaves the read-ahead to settle quietly', async () => {
  ddb.on(QueryCommand).rejects(Object.assign(new Error('boom'), { name: 'ValidationException' }));
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: `H#${H}` } } }).resolves({ Items: [item('a')] });
  let unhandled = 0;
  const count = () => unhandled++;
  process.on('unhandledRejection', count);
  for await (const _ of hourItems({ client, table: 'index', from: H, to: H + 10 * 3600, filter: typeFilter(undefined) })) break;
  await new Promise((r) => setTimeout(r, 20));
  process.off('unhandledRejection', count);
  assert.is(unhandled, 0);
});

test.run();
