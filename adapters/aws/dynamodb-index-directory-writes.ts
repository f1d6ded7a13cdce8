// The hour directory of the event index, write side: the directory items writers put before an hour's entries, the
// "complete since" marker of a new index, and the backfill that completes the directory of an index older than it.
//
// Why writers and not a stream: DynamoDbEventIndex.put is the one path that adds entries (the indexer Lambda; emit
// only reads the index, compaction only relocates), so writing the hour's item there, before the entries' transaction,
// is enough for a reader never to miss an hour that held entries when it listed the directory.

import { BatchWriteItemCommand, PutItemCommand, ScanCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import { hourStart } from '../../domain/event.ts';
import { mapLimit } from '../../projections/map-limit.ts';
import { backoff, errorName, num, str, withRetries, type Item } from './dynamodb-codec.ts';
import { directoryKey, markerKey, type DirectoryTable } from './dynamodb-index-directory.ts';
import { entryHours } from './dynamodb-index-hours-scan.ts';
import { INDEX_ATTR as A, INDEX_DIRECTORY as D } from './table-keys.ts';

/** DynamoDB's limit of requests in one BatchWriteItem. */
const ITEMS_PER_BATCH = 25;
/** BatchWriteItem calls for items DynamoDB left unprocessed (throttled) before giving up with a TransientError. */
const MAX_ATTEMPTS = 8;
/** Hours one writer remembers having recorded; past it, it forgets them all (and puts them again, harmlessly). */
const MAX_REMEMBERED = 100_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The directory as one index writer keeps it: each hour's item put once per instance (a Lambda container, a CLI
 * process), not once per entry. The first call also writes the marker when the index holds no entries yet (a new
 * stack): every entry it will ever hold then comes through a writer that puts its hour first.
 *
 * What an instance remembers can be wrong: the table may have lost an item since (restored to an earlier point,
 * or deleted and created again under the same name while a Lambda container lives on). So `record` says which hours
 * it took from memory, and the entries' transaction checks those items still exist (dynamodb-index-put.ts).
 */
export class HourDirectory {
  private readonly recorded = new Set<number>();
  private marked: Promise<void> | undefined;

  constructor(private readonly target: DirectoryTable) {}

  /**
   * Put the directory items of the hours of `timestamps` (epoch seconds); call it before writing their entries.
   * Returns the hours whose item was not put now because this instance put it before: the entries' transaction must
   * check those items exist.
   */
  async record(timestamps: readonly number[]): Promise<Set<number>> {
    // Before this writer's own entries exist, so the first writer of a new index finds it empty.
    this.marked ??= markIfEmpty(this.target).catch((error: unknown) => { this.marked = undefined; throw error; });
    await this.marked;
    const all = new Set(timestamps.map(hourStart));
    const hours = [...all].filter((h) => !this.recorded.has(h));
    if (hours.length > 0) await this.rewrite(hours);
    for (const h of hours) all.delete(h);
    return all;
  }

  /** Put the items of `hours` again, whatever this instance remembers: a transaction found them gone. */
  async rewrite(hours: readonly number[]): Promise<void> {
    for (const h of hours) this.recorded.delete(h);
    await putItems(this.target, hours.map(directoryKey));
    if (this.recorded.size + hours.length > MAX_REMEMBERED) this.recorded.clear();
    for (const h of hours) this.recorded.add(h);
  }
}

/** What a backfill found and wrote. */
export interface DirectoryBackfill {
  /** Hours holding entries, each now in the directory. */
  readonly hours: number;
  /** Start of the oldest and newest of them (absent for an empty index). */
  readonly first?: number;
  readonly last?: number;
}

/**
 * Put a directory item for every hour the index holds entries of (one Scan of the table), then the marker saying
 * the directory is complete from the start: range reads then query only those hours. Idempotent; entries written
 * meanwhile by writers of this version put their own hours. Run it after every indexer runs this version.
 * `hours`: those entryHours found, ascending, when the caller scanned already (to feed another step the same Scan).
 */
export async function backfillDirectory(target: DirectoryTable, hours?: readonly number[]): Promise<DirectoryBackfill> {
  const sorted = hours ?? await entryHours(target.client, target.table);
  await putItems(target, sorted.map(directoryKey));
  // Last: a reader that sees the marker finds every hour the scan found.
  await putMarker(target, false);
  return { hours: sorted.length, ...(sorted.length ? { first: sorted[0]!, last: sorted.at(-1)! } : {}) };
}

/** Write the marker (complete since 0) when the index holds nothing but directory items. */
async function markIfEmpty(target: DirectoryTable): Promise<void> {
  if (!(await holdsEntries(target))) await putMarker(target, true);
}

/** True when the table holds an item other than the directory's: an entry or an id guard. */
async function holdsEntries(target: DirectoryTable): Promise<boolean> {
  let start: Item | undefined;
  do {
    // Limit bounds the items read per page (before the filter): a few pages at most on a new index.
    const out = await withRetries('Scan', () => target.client.send(new ScanCommand({
      TableName: target.table, ConsistentRead: true, Limit: 100, ProjectionExpression: '#pk', ...(start ? { ExclusiveStartKey: start } : {}),
      FilterExpression: 'NOT begins_with(#pk, :d)', ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':d': str(D.prefix) },
    })));
    if (out?.Items?.length) return true;
    start = out?.LastEvaluatedKey;
  } while (start);
  return false;
}

/** The marker, complete since 0; `ifAbsent`: never over one already written (by a backfill or another writer). */
async function putMarker(target: DirectoryTable, ifAbsent: boolean): Promise<void> {
  try {
    await withRetries('PutItem', () => target.client.send(new PutItemCommand({
      TableName: target.table, Item: { ...markerKey(), [D.since]: num(0) },
      ...(ifAbsent ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': A.hour } } : {}),
    })));
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
  }
}

/** Put `items` in BatchWriteItems of 25, a few at a time, asking again for those DynamoDB leaves unprocessed. */
async function putItems(target: DirectoryTable, items: readonly Item[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_BATCH) chunks.push(items.slice(i, i + ITEMS_PER_BATCH).map((Item) => ({ PutRequest: { Item } })));
  await mapLimit(chunks, 4, async (chunk) => {
    let pending = chunk;
    for (let n = 0; pending.length > 0; n++) {
      if (n >= MAX_ATTEMPTS) {
        throw new TransientError(`writing the index's hour directory in ${target.table}: ${pending.length} items still unprocessed after ${MAX_ATTEMPTS} BatchWriteItem calls; retry`);
      }
      if (n > 0) await sleep(backoff(n, 50));
      const out = await withRetries('BatchWriteItem', () => target.client.send(new BatchWriteItemCommand({ RequestItems: { [target.table]: pending } })));
      pending = out?.UnprocessedItems?.[target.table] ?? [];
    }
  });
}
