// A range read within one hour (compaction reads one hour at a time, an archive run the hour straddling its cutoff)
// queries that hour directly: asking the hour directory first costs a GetItem of its marker and a Query of its year,
// more than the hour itself, and tripled the DynamoDB calls of every hour an archive run compacts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { hourItems } from '../../../adapters/aws/dynamodb-index-hours.ts';
import { typeFilter } from '../../../adapters/aws/dynamodb-index-items.ts';
import { INDEX_DIRECTORY } from '../../../adapters/aws/table-keys.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const H = 1_699_999_200; // an hour start
const pk = (input: QueryCommandInput) => input.ExpressionAttributeValues![':pk']?.S ?? input.ExpressionAttributeValues![':y']?.S;

async function queried(from: number, to: number): Promise<(string | undefined)[]> {
  for await (const _ of hourItems({ client, table: 'index', from, to, filter: typeFilter(undefined) })) { /* drained */ }
  return ddb.commandCalls(QueryCommand).map((c) => pk(c.args[0].input));
}

const test = suite('DynamoDbEventIndex hour directory: a range within one hour');
test.before.each(() => {
  ddb.reset();
  // A complete directory (a new stack, or one backfilled) that lists no hour at all.
  ddb.on(GetItemCommand).resolves({ Item: { [INDEX_DIRECTORY.since]: { N: '0' } } });
  ddb.on(QueryCommand).resolves({ Items: [] });
});

test('a range of one hour is one Query of that hour, without reading the directory', async () => {
  assert.equal(await queried(H, H + 3600), [`H#${H}`]);
  assert.is(ddb.commandCalls(GetItemCommand).length, 0);
});

test('a range of two hours reads the directory, and queries no hour it does not list', async () => {
  assert.equal(await queried(H + 1800, H + 5400), [`${INDEX_DIRECTORY.prefix}2023`]);
  assert.is(ddb.commandCalls(GetItemCommand).length, 1);
});

test.run();
