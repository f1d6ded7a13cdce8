// Reading a time range of the event index hour bucket by hour bucket, with a bounded read-ahead across hours.
//
// Only the hours the hour directory lists are queried (dynamodb-index-directory.ts), and every hour where it cannot
// say (an index older than the directory). Why read ahead: a range may still be thousands of buckets, many of them
// small; one Query after another would spend the whole time waiting on round trips. The first page of the next few
// hours is fetched while the current one is consumed; output stays in hour order, and memory stays bounded (at most
// `window` pages of 1 MB, or of `pageSize` items, and one page of the directory).

import { QueryCommand, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { queryItems, str, withRetries, type Item } from './dynamodb-codec.ts';
import { rangeHours } from './dynamodb-index-directory.ts';
import type { RangeCursor } from '../../domain/ports/event-index.ts';
import { hourKey, lowerSortKey, padTimestamp, withFilter, type Filter } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

export interface HourRange {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** Epoch seconds, from inclusive, to exclusive. */
  readonly from: number;
  readonly to: number;
  readonly filter: Filter;
  /** Exclusive cursor: only items after it in (timestamp, id) order, none of its hour's before it read. */
  readonly after?: RangeCursor;
  /** Hours fetched ahead (default 8). */
  readonly window?: number;
  /** The directory marker's `since`, when the caller read it already (completeSince): not read again. */
  readonly since?: number;
  /** Strongly consistent bucket reads (default true); false halves their read units. The directory is read consistently. */
  readonly consistent?: boolean;
  /** Items each bucket Query evaluates (its Limit; dynamodb-index-range.ts pageLimit). Default: DynamoDB's 1 MB pages. */
  readonly pageSize?: number;
}

/** Items of every hour bucket in [from, to) that may hold entries, in (timestamp, id) order. */
export async function* hourItems(range: HourRange): AsyncGenerator<Item> {
  // Keys are whole seconds: ts >= from is ts >= ceil(from), ts < to is key < pad(ceil(to)) (BETWEEN is inclusive,
  // and 'pad(to)' sorts before every 'pad(to)#id').
  const bounds = { ':lo': str(lowerSortKey(range.from, range.after)), ':hi': str(padTimestamp(Math.ceil(range.to))) };
  // A cursor at or past `to` leaves nothing to read (and DynamoDB refuses a BETWEEN whose bounds are reversed).
  if (bounds[':lo'].S! > bounds[':hi'].S!) return;
  const input = (hour: number): QueryCommandInput => ({
    TableName: range.table, KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi', ConsistentRead: range.consistent ?? true,
    ...(range.pageSize === undefined ? {} : { Limit: range.pageSize }),
    ...withFilter(range.filter, { names: { '#pk': A.hour, '#sk': A.sortKey }, values: { ':pk': str(hourKey(hour)), ...bounds } }),
  });
  // Hours before the cursor's hold nothing after it: not queried.
  const from = range.after && range.after.timestamp > range.from ? Math.floor(range.after.timestamp) : range.from;
  const hours = rangeHours(range, from, range.to, range.since);
  const ahead: { hour: number; page: Promise<QueryCommandOutput> }[] = [];
  let listed = false;
  const fill = async () => {
    while (!listed && ahead.length < (range.window ?? 8)) {
      const next = await hours.next();
      if (next.done) { listed = true; return; }
      const hour = next.value;
      const page = withRetries('Query', () => range.client.send(new QueryCommand(input(hour))));
      // Marked handled: a consumer that stops early must not leave an unhandled rejection behind.
      page.catch(() => undefined);
      ahead.push({ hour, page });
    }
  };
  try {
    for (await fill(); ahead.length > 0; await fill()) {
      const { hour, page } = ahead.shift()!;
      const out = await page;
      yield* out.Items ?? [];
      if (out.LastEvaluatedKey) yield* queryItems(range.client, { ...input(hour), ExclusiveStartKey: out.LastEvaluatedKey });
    }
  } finally {
    await hours.return(undefined);
  }
}
