// Whole-index reads of DynamoDbEventIndex: objects and their storage state, the entry count, unrestored archived objects.
//
// Scans read (and bill) the whole table whatever the filter drops; they serve operator commands (archive, restore,
// query warnings), never the ingest path. The unrestored objects of a range read its hour buckets instead, those the
// hour directory lists, unless the directory cannot vouch for more than SHORT_RANGE_HOURS of the range.

import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { num, readOptStr, readStr, scanItems, str, withRetries, type Item } from './dynamodb-codec.ts';
import { completeSince } from './dynamodb-index-directory.ts';
import { hourItems } from './dynamodb-index-hours.ts';
import { fromItem, type Filter } from './dynamodb-index-items.ts';
import { INDEX_ATTR as A, INDEX_PREFIX } from './table-keys.ts';

export interface IndexTable {
  readonly client: DynamoDBClient;
  readonly table: string;
}

/** One object of the log as `EventIndex.objects` describes it. */
export type ObjectSummary = Awaited<ReturnType<EventIndex['objects']>>[number];

/** Hours of a range the hour directory cannot vouch for that are still queried one by one, rather than one Scan. */
const SHORT_RANGE_HOURS = 31 * 24;
const HOUR = 3600;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Distinct object keys with storage state, event count, bytes and newest timestamp; with `before`, only older objects. */
export async function objectSummaries(source: IndexTable, options: { before?: number }): Promise<ObjectSummary[]> {
  const objects = new Map<string, ObjectSummary>();
  for await (const item of scanItems(source.client, {
    TableName: source.table, ConsistentRead: true, FilterExpression: 'begins_with(#pk, :h)',
    ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':h': str(INDEX_PREFIX.hour) },
  })) {
    const e = fromItem(item);
    const o = objects.get(e.location.key) ?? { key: e.location.key, storageClass: e.storageClass, restore: e.restore, events: 0, bytes: 0, maxTimestamp: e.timestamp };
    objects.set(e.location.key, { ...o, events: o.events + 1, bytes: o.bytes + e.size, maxTimestamp: Math.max(o.maxTimestamp, e.timestamp) });
  }
  const all = [...objects.values()].sort(byKey);
  return options.before === undefined ? all : all.filter((o) => o.maxTimestamp < options.before!);
}

/** Number of indexed events: the id guards are counted (one per event, and small). */
export async function countEntries(source: IndexTable): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    const out = await withRetries('Scan', () => source.client.send(new ScanCommand({
      TableName: source.table, Select: 'COUNT', ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}),
      FilterExpression: 'begins_with(#pk, :g)', ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':g': str(INDEX_PREFIX.guard) },
    })));
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return total;
}

/** Entries in an archive class with no restored copy: what `isReadable` refuses. */
const UNRESTORED: Filter = {
  expression: '#c <> :standard AND #r <> :restored',
  names: { '#c': A.storageClass, '#r': A.restore },
  values: { ':standard': str('STANDARD'), ':restored': str('RESTORED') },
};

/**
 * Keys of the objects holding events of `range` that are archived and not restored, sorted: what a query over the
 * range cannot read (Athena skips them silently).
 */
export async function unrestoredObjects(source: IndexTable, range: TimeRange): Promise<string[]> {
  return (await unrestoredWithRestores(source, range)).unreadable;
}

/**
 * `unrestoredObjects`, with those of them whose restore the index records as running (`RESTORING`) in `restoring`
 * (sorted, a subset). Read from the same items: the restore state rides along, no request is added.
 */
export async function unrestoredWithRestores(source: IndexTable, range: TimeRange): Promise<{ unreadable: string[]; restoring: string[] }> {
  const keys = new Set<string>();
  const restoring = new Set<string>();
  const byHours = await hourReading(source, range);
  // Eventually consistent, as the Scan is: storage states reach the index from S3's notifications through the indexer,
  // seconds late; a consistent read costs twice the read units for nothing more current. Over the whole log, consistent
  // bucket reads cost more than the Scan they replace.
  const items = byHours
    ? hourItems({ client: source.client, table: source.table, from: range.from, to: range.to, filter: UNRESTORED, ...byHours, consistent: false })
    : scanItems(source.client, {
      TableName: source.table, ProjectionExpression: '#k, #r',
      FilterExpression: `begins_with(#pk, :h) AND #ts >= :from AND #ts < :to AND ${UNRESTORED.expression!}`,
      ExpressionAttributeNames: { '#pk': A.hour, '#ts': A.timestamp, '#k': A.objectKey, ...UNRESTORED.names },
      ExpressionAttributeValues: { ':h': str(INDEX_PREFIX.hour), ':from': num(range.from), ':to': num(range.to), ...UNRESTORED.values },
    });
  for await (const item of items) {
    const key = readStr(item, A.objectKey);
    keys.add(key);
    // Entries of one object share its state (setObjectStorage writes them all); one that says RESTORING is enough.
    if (readOptStr(item, A.restore) === 'RESTORING') restoring.add(key);
  }
  return { unreadable: [...keys].sort(), restoring: [...restoring].sort() };
}

/**
 * Whether `unrestoredWithRestores` reads `range` by hour buckets (with the directory marker's `since` when it was
 * read here), or by one filtered Scan (undefined). Hour buckets query the hours the directory lists, and every hour
 * it cannot vouch for: before its marker's `since`, all of them without a marker (an index older than the directory,
 * until `repair index` backfills it). Past SHORT_RANGE_HOURS of those, one Query per hour, most of them empty, takes
 * longer than the Scan: only then is the whole table read. A short range leaves the marker to hourItems, as before.
 */
async function hourReading(source: IndexTable, range: TimeRange): Promise<{ since?: number } | undefined> {
  if ((range.to - range.from) / HOUR <= SHORT_RANGE_HOURS) return {};
  const since = await completeSince(source);
  if (since === undefined) return undefined;
  const unvouched = Math.min(since, range.to) - range.from;
  return unvouched / HOUR <= SHORT_RANGE_HOURS ? { since } : undefined;
}
