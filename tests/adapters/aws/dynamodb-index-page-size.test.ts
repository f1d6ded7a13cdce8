// DynamoDbEventIndex's pageSize option against a mocked client: validated, sent as every range and position Query's
// Limit (continued pages too), and absent by default, so production reads keep DynamoDB's own 1 MB pages.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { IndexRangeQuery } from '../../../domain/ports/event-index.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const H = 1_699_999_200; // an hour start
const NEXT = { pk: { S: 'x' }, sk: { S: 'a' } };

/** The Limit and whether it continued a page, of every Query `read` sent (each first Query answers with a next page). */
async function queriesOf(read: () => Promise<unknown>): Promise<{ limit: number | undefined; continued: boolean }[]> {
  ddb.reset();
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => (input.ExclusiveStartKey ? { Items: [] } : { Items: [], LastEvaluatedKey: NEXT }));
  await read();
  return ddb.commandCalls(QueryCommand).map((c) => ({ limit: c.args[0].input.Limit, continued: c.args[0].input.ExclusiveStartKey !== undefined }));
}

/** The distinct Limits of `queries`. */
const limits = (queries: { limit: number | undefined }[]) => [...new Set(queries.map((q) => q.limit))];
const drain = async (index: DynamoDbEventIndex, query: IndexRangeQuery) => { for await (const _ of index.between(query)) void _; };
const hour = { from: H + 10, to: H + 20 };

const test = suite('DynamoDbEventIndex pageSize (mocked DynamoDB)');

test('a pageSize that is not a whole number of at least 1 is refused, naming it', () => {
  for (const pageSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new DynamoDbEventIndex({ client, tableName: 't', pageSize }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'pageSize', String(pageSize));
  }
});

test('with a pageSize every Query of between, hour buckets and accounts, and its continued pages is limited to it', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 't', pageSize: 7 });
  for (const query of [hour, { ...hour, accounts: ['A'] }, { ...hour, accounts: ['A'], types: ['cash_deposit'] }]) {
    const queries = await queriesOf(() => drain(index, query));
    assert.ok(queries.some((q) => q.continued), JSON.stringify(query));
    assert.equal(limits(queries), [7], JSON.stringify(query));
  }
});

test('with a pageSize afterPosition reads each shard in Queries of at most it, and of at most the page limit', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 't', pageSize: 7, positionShards: 2 });
  assert.equal(limits(await queriesOf(() => index.afterPosition(0, 20))), [7]);
  assert.equal(limits(await queriesOf(() => index.afterPosition(0, 3))), [3]);
});

test('without a pageSize between sends no Limit and afterPosition only its page limit: DynamoDB\'s 1 MB pages', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 't', positionShards: 2 });
  for (const query of [hour, { ...hour, accounts: ['A'] }]) {
    assert.equal(limits(await queriesOf(() => drain(index, query))), [undefined], JSON.stringify(query));
  }
  assert.equal(limits(await queriesOf(() => index.afterPosition(0, 20))), [20]);
});

test.run();
