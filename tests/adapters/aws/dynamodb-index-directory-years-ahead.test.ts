// Listing the hour directory over many UTC years: one Query per year, with the next years' first pages in flight
// while the current one is consumed, hours still coming out in order (a fake client that answers like DynamoDB,
// slowly, and counts the Queries in flight).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { rangeHours } from '../../../adapters/aws/dynamodb-index-directory.ts';
import { INDEX_ATTR as A } from '../../../adapters/aws/table-keys.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

/** A directory holding `hours`, complete since 0, whose Queries answer after a delay and at most `pageSize` items a page. */
function fakeDirectory(hours: number[], pageSize = 2) {
  const stats = { queries: 0, inFlight: 0, maxInFlight: 0 };
  const byYear = new Map<string, string[]>();
  for (const h of [...hours].sort((a, b) => a - b)) {
    const pk = `HD#${new Date(h * 1000).getUTCFullYear()}`;
    byYear.set(pk, [...(byYear.get(pk) ?? []), String(h).padStart(12, '0')]);
  }
  const send = async (command: unknown) => {
    if (command instanceof GetItemCommand) return { Item: { since: { N: '0' } } };
    if (!(command instanceof QueryCommand)) throw new Error(`unexpected command ${String(command)}`);
    const input = command.input;
    const values = input.ExpressionAttributeValues!;
    const keys = (byYear.get(values[':y']!.S!) ?? []).filter((k) => k >= values[':lo']!.S! && k <= values[':hi']!.S!);
    const after = input.ExclusiveStartKey?.[A.sortKey]?.S;
    const rest = after === undefined ? keys : keys.filter((k) => k > after);
    const page = rest.slice(0, pageSize);
    stats.queries++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((resume) => setTimeout(resume, 2));
    stats.inFlight--;
    return {
      Items: page.map((k) => ({ [A.sortKey]: { S: k } })),
      ...(rest.length > pageSize ? { LastEvaluatedKey: { [A.hour]: values[':y']!, [A.sortKey]: { S: page[page.length - 1]! } } } : {}),
    };
  };
  return { client: { send } as unknown as DynamoDBClient, stats };
}

async function list(client: DynamoDBClient, from: number, to: number): Promise<number[]> {
  const out: number[] = [];
  for await (const hour of rangeHours({ client, table: 'index' }, from, to)) out.push(hour);
  return out;
}

const test = suite('DynamoDB index hour directory: years listed ahead');

test('a range of 60 years keeps several years\' Queries in flight at once, one per year', async () => {
  const { client, stats } = fakeDirectory([at('2024-03-01T10:00:00Z')]);
  await list(client, at('2024-01-01T00:00:00Z'), at('2084-01-01T00:00:00Z'));
  assert.is(stats.queries, 60, 'one Query per UTC year from 2024 to 2083 (to is exclusive)');
  assert.ok(stats.maxInFlight > 1, `at most ${stats.maxInFlight} Query in flight: years were listed one after the other`);
  assert.ok(stats.maxInFlight <= 16, `${stats.maxInFlight} Queries in flight: the read-ahead must stay bounded`);
});

test('hours come out ascending across years and across the pages of one year', async () => {
  const hours = [
    at('2024-03-01T10:00:00Z'), at('2024-03-01T11:00:00Z'), at('2024-07-09T00:00:00Z'), at('2024-12-31T23:00:00Z'),
    at('2031-01-01T00:00:00Z'), at('2031-05-05T05:00:00Z'), at('2031-05-05T06:00:00Z'), at('2050-06-01T12:00:00Z'),
  ];
  const { client } = fakeDirectory(hours, 2);
  assert.equal(await list(client, at('2024-01-01T00:00:00Z'), at('2060-01-01T00:00:00Z')), hours);
});

test('hours outside [from, to) are not listed, even in the first and last years', async () => {
  const hours = [at('2024-03-01T10:00:00Z'), at('2024-06-01T00:00:00Z'), at('2030-02-01T00:00:00Z'), at('2030-09-01T00:00:00Z')];
  const { client } = fakeDirectory(hours);
  assert.equal(await list(client, at('2024-04-01T00:00:00Z'), at('2030-03-01T00:00:00Z')), [hours[1], hours[2]]);
});

test('a consumer that stops after the first hour leaves no rejected Query unhandled', async () => {
  const { client } = fakeDirectory([at('2024-03-01T10:00:00Z'), at('2025-03-01T10:00:00Z')]);
  const failing = {
    send: async (command: unknown) => {
      if (command instanceof QueryCommand && command.input.ExpressionAttributeValues![':y']!.S !== 'HD#2024') {
        throw Object.assign(new Error('boom'), { name: 'ValidationException' });
      }
      return client.send(command as never);
    },
  } as unknown as DynamoDBClient;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    for await (const hour of rangeHours({ client: failing, table: 'index' }, at('2024-01-01T00:00:00Z'), at('2040-01-01T00:00:00Z'))) {
      assert.is(hour, at('2024-03-01T10:00:00Z'));
      break;
    }
    await new Promise((resume) => setTimeout(resume, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.equal(unhandled, []);
});

test.run();
