// The hour directory of the event index, read side: which UTC hours of a range hold entries, so that a range read
// queries those hour buckets only.
//
// Why: reading a range bucket by bucket queried every hour, empty ones included (a 17-year range is 149,000 Queries
// and took minutes). Writers put an hour's directory item before its entries (dynamodb-index-directory-writes.ts),
// so a reader that lists the directory and finds no item for an hour can only miss entries written after it listed:
// the lag every index read has. Lakes indexed before the directory existed have hours without an item; the marker
// says from which hour the directory is complete, and hours before it (every hour, without a marker) are still
// listed one by one, as before.

import { GetItemCommand, QueryCommand, ScanCommand, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { hourStart } from '../../domain/event.ts';
import { MAX_RANGE_SECONDS } from '../../domain/ports/event-index.ts';
import { queryItems, readStr, str, withRetries, type Item } from './dynamodb-codec.ts';
import { padTimestamp } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_DIRECTORY as D } from './table-keys.ts';

/** The event-index table the directory lives in. */
export interface DirectoryTable {
  readonly client: DynamoDBClient;
  readonly table: string;
}

const HOUR = 3600;
/**
 * The exclusive end of the time the index keys: sort keys hold 12-digit epoch seconds. Why a limit: the directory is
 * listed per UTC year, and past JavaScript's last Date (year 275760) a year is NaN, so a later `to` listed nothing.
 */
const KEYED_END = 1_000_000_000_000;

/** UTC year of an epoch second: the directory partition of its hour. */
const yearOf = (epochSeconds: number) => new Date(epochSeconds * 1000).getUTCFullYear();

/** Key of the directory item of the hour that contains `epochSeconds`. */
export function directoryKey(epochSeconds: number): Item {
  const hour = hourStart(epochSeconds);
  return { [A.hour]: str(`${D.prefix}${yearOf(hour)}`), [A.sortKey]: str(padTimestamp(hour)) };
}

/** Key of the "complete since" marker. */
export function markerKey(): Item {
  return { [A.hour]: str(D.marker), [A.sortKey]: str('#') };
}

/**
 * The hour start from which the directory lists every hour holding entries, or undefined when the index has no
 * marker (indexed before the directory, and not backfilled yet).
 */
export async function completeSince(source: DirectoryTable): Promise<number | undefined> {
  const out = await withRetries('GetItem', () => source.client.send(new GetItemCommand({ TableName: source.table, Key: markerKey(), ConsistentRead: true })));
  const since = out?.Item?.[D.since]?.N;
  return since === undefined ? undefined : Number(since);
}

/** Whether the index table holds no item at all (one consistent Scan of Limit 1). */
async function isEmpty(source: DirectoryTable): Promise<boolean> {
  const out = await withRetries('Scan', () => source.client.send(new ScanCommand({ TableName: source.table, Limit: 1, ConsistentRead: true })));
  return (out?.Items?.length ?? 0) === 0 && out?.LastEvaluatedKey === undefined;
}

/**
 * Start of every hour of [from, to) that may hold entries, ascending: each hour before the marker's `since` (all of
 * them without a marker), then the hours the directory lists, one Query per UTC year (pages followed), read lazily.
 * A range within one hour is answered with that hour, without reading the directory. `known`: the marker's `since`
 * when the caller read it already (completeSince), so it is not read twice.
 */
export async function* rangeHours(source: DirectoryTable, from: number, to: number, known?: number): AsyncGenerator<number> {
  if (!(to <= KEYED_END)) {
    throw new InvalidArgumentError('to', `${to} is past the last epoch second the DynamoDB index keys (${KEYED_END - 1}, year 33658); give a to of at most ${KEYED_END}`);
  }
  const first = Math.max(0, hourStart(Math.floor(from)));
  // The newest whole second in range: `to` is exclusive, and entries are keyed by whole seconds.
  const last = Math.ceil(to) - 1;
  if (last < first) return;
  // Within one hour, that hour: reading the directory first (its marker's GetItem, its year's Query) costs more than
  // the hour's own Query, and compaction reads one hour at a time, an archive run the hour straddling its cutoff.
  if (hourStart(last) === first) {
    yield first;
    return;
  }
  const since = known ?? await completeSince(source);
  // No marker and nothing at all in the table (a stack no event has reached yet): nothing to list, rather than every
  // hour of the range one Query at a time (from 0, ≈ 490,000 of them). A first writer puts its items before it marks.
  if (since === undefined && (await isEmpty(source))) return;
  const listed = since === undefined ? Infinity : Math.max(first, Math.ceil(since / HOUR) * HOUR);
  for (let hour = first; hour < listed && hour <= last; hour += HOUR) yield hour;
  if (listed > last) return;
  yield* listedHours(source, listed, last);
}

/** Years whose directory listings are in flight at once: a far `to` spans thousands of (mostly empty) years. */
const YEARS_AHEAD = 16;

/**
 * The hours the directory lists in [listed, last], ascending: one Query per UTC year, the first pages of the next
 * `YEARS_AHEAD` years fetched while the current one is consumed. Why: a range ending far ahead (a TS caller's
 * `to` near the index's last key) is ≈ 31,600 years from 2023, one round trip each: minutes one after the other.
 */
async function* listedHours(source: DirectoryTable, listed: number, upTo: number): AsyncGenerator<number> {
  // No EventTimeStamp is past 2100-01-01 (the envelope's bound), so neither is an hour to list.
  const last = Math.min(upTo, MAX_RANGE_SECONDS);
  const input = (year: number): QueryCommandInput => ({
    TableName: source.table, KeyConditionExpression: '#pk = :y AND #sk BETWEEN :lo AND :hi', ConsistentRead: true,
    ExpressionAttributeNames: { '#pk': A.hour, '#sk': A.sortKey },
    ExpressionAttributeValues: { ':y': str(`${D.prefix}${year}`), ':lo': str(padTimestamp(listed)), ':hi': str(padTimestamp(last)) },
  });
  const ahead: { year: number; page: Promise<QueryCommandOutput> }[] = [];
  let next = yearOf(listed);
  const fill = () => {
    for (; ahead.length < YEARS_AHEAD && next <= yearOf(last); next++) {
      const request = input(next);
      const page = withRetries('Query', () => source.client.send(new QueryCommand(request)));
      // Marked handled: a consumer that stops early must not leave an unhandled rejection behind.
      page.catch(() => undefined);
      ahead.push({ year: next, page });
    }
  };
  for (fill(); ahead.length > 0; fill()) {
    const { year, page } = ahead.shift()!;
    const out = await page;
    for (const item of out.Items ?? []) yield Number(readStr(item, A.sortKey));
    if (out.LastEvaluatedKey) {
      for await (const item of queryItems(source.client, { ...input(year), ExclusiveStartKey: out.LastEvaluatedKey })) yield Number(readStr(item, A.sortKey));
    }
  }
}
