// Range reads of DynamoDbEventIndex (`between`): the account GSIs merged, or the hour buckets in order; and the page
// size their Queries are limited to.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkRangeBounds, checkRangeCursor, type IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { queryItems, str, type Item } from './dynamodb-codec.ts';
import { hourItems } from './dynamodb-index-hours.ts';
import { lowerSortKey, mergeSorted, padTimestamp, typeFilter, withFilter } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_GSI as G } from './table-keys.ts';

/** Where a range is read from, and how many items each Query evaluates (undefined: DynamoDB's 1 MB pages). */
export interface RangeSource {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly pageSize?: number;
}

/** `pageSize` as given (undefined stays undefined); `InvalidArgumentError` unless a whole number of at least 1. */
export function checkPageSize(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError('pageSize', `must be a whole number of items of at least 1 (or left out for DynamoDB's 1 MB pages), e.g. 500; got ${String(value)}`);
  }
  return value;
}

/**
 * A Query's `Limit` for `pageSize`: nothing without one. Limit counts the items a Query evaluates, before the type
 * filter, so a page may come back with fewer items than it, or none, and still have a next page.
 */
export function pageLimit(pageSize: number | undefined): { Limit?: number } {
  return pageSize === undefined ? {} : { Limit: pageSize };
}

/** Items of `query` in (timestamp, id) order, each once (an event touching two queried accounts included). */
export async function* rangeItems(source: RangeSource, query: IndexRangeQuery): AsyncGenerator<Item> {
  checkRangeBounds(query);
  checkRangeCursor(query.after);
  if (query.to <= query.from || query.types?.length === 0) return;
  // Whole-second bounds, and past the cursor, as in hourItems.
  const lo = lowerSortKey(query.from, query.after);
  const hi = padTimestamp(Math.ceil(query.to));
  // A cursor at or past `to`: nothing is after it (and DynamoDB refuses a BETWEEN whose bounds are reversed).
  if (lo > hi) return;
  const range = { ':lo': str(lo), ':hi': str(hi) };
  const filter = typeFilter(query.types);
  if (query.accounts?.length) {
    const streams = query.accounts.flatMap((account) => [[G.byAccount0, A.account0], [G.byAccount1, A.account1]].map(([index, attr]) =>
      queryItems(source.client, {
        TableName: source.table, IndexName: index, KeyConditionExpression: '#a = :a AND #sk BETWEEN :lo AND :hi', ...pageLimit(source.pageSize),
        ...withFilter(filter, { names: { '#a': attr!, '#sk': A.sortKey }, values: { ':a': str(account), ...range } }),
      })));
    yield* mergeSorted(streams, (i) => i[A.sortKey]?.S ?? '');
    return;
  }
  // Without an account, each UTC hour bucket the hour directory lists is one Query (read ahead a few hours), in hour order.
  yield* hourItems({
    client: source.client, table: source.table, from: query.from, to: query.to, filter,
    ...(query.after ? { after: query.after } : {}), ...(source.pageSize === undefined ? {} : { pageSize: source.pageSize }),
  });
}
