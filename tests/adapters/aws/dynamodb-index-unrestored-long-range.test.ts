// The archived, unrestored objects of a range longer than a month (what `query --target aws` warns about) are read
// from the hour buckets the hour directory lists: one filtered Scan read and billed the whole table, years of events
// for a 2-month query. The Scan stays where the directory cannot vouch for more than a month of the range. Bucket
// reads are eventually consistent, as the Scan is, or over the whole log they cost more than it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { unrestoredWithRestores } from '../../../adapters/aws/dynamodb-index-scans.ts';
import { padTimestamp } from '../../../adapters/aws/dynamodb-index-items.ts';
import { INDEX_DIRECTORY } from '../../../adapters/aws/table-keys.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const HOUR = 3600;
const DAY = 24 * HOUR;
const FROM = Date.parse('2023-12-01T00:00:00Z') / 1000;
const TO = FROM + 90 * DAY;
/** The two hours of the range holding events: one in 2023, one in 2024. */
const COLD = FROM + 5 * HOUR;
const THAWING = FROM + 40 * DAY + 3 * HOUR;
const source = { client, table: 'index' };

const UNRESTORED = {
  expression: '#c <> :standard AND #r <> :restored',
  names: { '#c': 'storageClass', '#r': 'restore' },
  values: { ':standard': { S: 'STANDARD' }, ':restored': { S: 'RESTORED' } },
};

/** The directory lists COLD and THAWING; their buckets hold one archived entry each, THAWING's being restored. */
function lake(marker: { since: number } | undefined): void {
  ddb.reset();
  ddb.on(GetItemCommand).resolves(marker ? { Item: { [INDEX_DIRECTORY.since]: { N: String(marker.since) } } } : {});
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues!;
    if (values[':y']) {
      const listed = [COLD, THAWING].filter((h) => `${INDEX_DIRECTORY.prefix}${new Date(h * 1000).getUTCFullYear()}` === values[':y']!.S &&
        padTimestamp(h) >= values[':lo']!.S! && padTimestamp(h) <= values[':hi']!.S!);
      return { Items: listed.map((h) => ({ pk: values[':y']!, sk: { S: padTimestamp(h) } })) };
    }
    if (values[':pk']!.S === `H#${COLD}`) return { Items: [{ objectKey: { S: 'cold.jsonl' }, restore: { S: 'NONE' } }] };
    if (values[':pk']!.S === `H#${THAWING}`) return { Items: [{ objectKey: { S: 'thawing.jsonl' }, restore: { S: 'RESTORING' } }] };
    return { Items: [] };
  });
  ddb.on(ScanCommand).resolves({ Items: [{ objectKey: { S: 'cold.jsonl' }, restore: { S: 'NONE' } }] });
}

const directoryQuery = (year: number): QueryCommandInput => ({
  TableName: 'index', KeyConditionExpression: '#pk = :y AND #sk BETWEEN :lo AND :hi', ConsistentRead: true,
  ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
  ExpressionAttributeValues: { ':y': { S: `${INDEX_DIRECTORY.prefix}${year}` }, ':lo': { S: padTimestamp(FROM) }, ':hi': { S: padTimestamp(TO - 1) } },
});

/** Eventually consistent, as the Scan: half the read units, and storage states reach the index seconds late anyway. */
const hourQuery = (hour: number): QueryCommandInput => ({
  TableName: 'index', KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi', ConsistentRead: false,
  FilterExpression: UNRESTORED.expression,
  ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', ...UNRESTORED.names },
  ExpressionAttributeValues: { ':pk': { S: `H#${hour}` }, ':lo': { S: padTimestamp(FROM) }, ':hi': { S: padTimestamp(TO) }, ...UNRESTORED.values },
});

const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
const hourQueries = () => queries().filter((q) => q.ExpressionAttributeValues?.[':pk']);

const test = suite('unrestoredWithRestores: what reading a range costs');

test('with a complete directory, 90 days read the marker once, the directory per year and the listed hours only: no Scan', async () => {
  lake({ since: 0 });
  assert.equal(await unrestoredWithRestores(source, { from: FROM, to: TO }), { unreadable: ['cold.jsonl', 'thawing.jsonl'], restoring: ['thawing.jsonl'] });
  assert.is(ddb.commandCalls(ScanCommand).length, 0);
  assert.equal(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input), [{ TableName: 'index', Key: { pk: { S: INDEX_DIRECTORY.marker }, sk: { S: '#' } }, ConsistentRead: true }]);
  assert.equal(queries(), [directoryQuery(2023), directoryQuery(2024), hourQuery(COLD), hourQuery(THAWING)]);
});

test('without a directory marker (an index older than the directory), 90 days are one filtered Scan of the table', async () => {
  lake(undefined);
  assert.equal(await unrestoredWithRestores(source, { from: FROM, to: TO }), { unreadable: ['cold.jsonl'], restoring: [] });
  assert.is(queries().length, 0);
  assert.equal(ddb.commandCalls(ScanCommand).map((c) => c.args[0].input), [{
    TableName: 'index', ProjectionExpression: '#k, #r',
    FilterExpression: `begins_with(#pk, :h) AND #ts >= :from AND #ts < :to AND ${UNRESTORED.expression}`,
    ExpressionAttributeNames: { '#pk': 'pk', '#ts': 'ts', '#k': 'objectKey', ...UNRESTORED.names },
    ExpressionAttributeValues: { ':h': { S: 'H#' }, ':from': { N: String(FROM) }, ':to': { N: String(TO) }, ...UNRESTORED.values },
  }]);
});

test('a marker leaving more than a month of the range unvouched keeps the Scan', async () => {
  lake({ since: FROM + 60 * DAY });
  await unrestoredWithRestores(source, { from: FROM, to: TO });
  assert.is(ddb.commandCalls(ScanCommand).length, 1);
  assert.is(queries().length, 0);
});

test('a marker leaving two days of the range unvouched queries each of their hours, then only the listed ones', async () => {
  lake({ since: FROM + 2 * DAY });
  assert.equal((await unrestoredWithRestores(source, { from: FROM, to: TO })).unreadable, ['cold.jsonl', 'thawing.jsonl']);
  assert.is(ddb.commandCalls(ScanCommand).length, 0);
  assert.is(ddb.commandCalls(GetItemCommand).length, 1);
  const hours = Array.from({ length: 48 }, (_, i) => FROM + i * HOUR);
  assert.equal(hourQueries(), [...hours.map(hourQuery), hourQuery(THAWING)]);
});

test('bucket reads are eventually consistent for a range of any length, as the Scan was: half the read units', async () => {
  for (const days of [2, 90]) {
    lake({ since: 0 });
    await unrestoredWithRestores(source, { from: FROM, to: FROM + days * DAY });
    assert.equal([...new Set(hourQueries().map((q) => q.ConsistentRead))], [false]);
  }
});

test.run();
