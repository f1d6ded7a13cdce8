// Reading a time range of the event index hour bucket by hour bucket, with a bounded read-ahead across hours.
//
// Why read ahead: a range of a year is 8,760 buckets, most of them small or empty; one Query after another would
// spend the whole time waiting on round trips. The first page of the next few hours is fetched while the current
// one is consumed; output stays in hour order, and memory stays bounded (at most `window` pages of 1 MB).

import { QueryCommand, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { queryItems, str, withRetries, type Item } from './dynamodb-codec.ts';
import { hourKey, padTimestamp, withFilter, type Filter } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

export interface HourRange {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** Epoch seconds, from inclusive, to exclusive. */
  readonly from: number;
  readonly to: number;
  readonly filter: Filter;
  /** Hours fetched ahead (default 8). */
  readonly window?: number;
}

/** Items of every hour bucket in [from, to), in (timestamp, id) order. */
export async function* hourItems(range: HourRange): AsyncGenerator<Item> {
  // Keys are whole seconds: ts >= from is ts >= ceil(from), ts < to is key < pad(ceil(to)) (BETWEEN is inclusive,
  // and 'pad(to)' sorts before every 'pad(to)#id').
  const bounds = { ':lo': str(padTimestamp(Math.ceil(range.from))), ':hi': str(padTimestamp(Math.ceil(range.to))) };
  const input = (hour: number): QueryCommandInput => ({
    TableName: range.table, KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi', ConsistentRead: true,
    ...withFilter(range.filter, { names: { '#pk': A.hour, '#sk': A.sortKey }, values: { ':pk': str(hourKey(hour)), ...bounds } }),
  });
  const first = Math.max(0, range.from - (((range.from % 3600) + 3600) % 3600));
  let next = first;
  const ahead: { hour: number; page: Promise<QueryCommandOutput> }[] = [];
  const fill = () => {
    while (ahead.length < (range.window ?? 8) && next < range.to) {
      const hour = next;
      const page = withRetries('Query', () => range.client.send(new QueryCommand(input(hour))));
      // Marked handled: a consumer that stops early must not leave an unhandled rejection behind.
      page.catch(() => undefined);
      ahead.push({ hour, page });
      next += 3600;
    }
  };
  for (fill(); ahead.length > 0; fill()) {
    const { hour, page } = ahead.shift()!;
    const out = await page;
    yield* out.Items ?? [];
    if (out.LastEvaluatedKey) yield* queryItems(range.client, { ...input(hour), ExclusiveStartKey: out.LastEvaluatedKey });
  }
}
