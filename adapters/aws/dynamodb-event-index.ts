// DynamoDbEventIndex: the event index as one DynamoDB table (hour buckets, id guards, hour directory, account/object/position GSIs).

import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomInt } from 'node:crypto';
import type { EventIndex, IndexEntry, IndexRangeQuery, NewIndexEntry, PositionPage } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { readStr, storageCall, storageError, withRetries } from './dynamodb-codec.ts';
import { entriesById } from './dynamodb-event-index-lookups.ts';
import { HourDirectory } from './dynamodb-index-directory-writes.ts';
import { putEntries } from './dynamodb-index-put.ts';
import { checkPageSize, rangeItems } from './dynamodb-index-range.ts';
import { countEntries, objectSummaries, unrestoredObjects, unrestoredWithRestores, type ObjectSummary } from './dynamodb-index-scans.ts';
import { fromItem, guardKey, toItem } from './dynamodb-index-items.ts';
import { afterPositionPage, lastPositionOf } from './dynamodb-index-positions.ts';
import { checkInFlightMs, settledBelow, settleMsOf } from './dynamodb-index-settled.ts';
import { relocateEntries, setStorageOfObject, type IndexUpdates } from './dynamodb-index-updates.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

export interface DynamoDbEventIndexOptions {
  readonly client: DynamoDBClient;
  /** A table created from EVENT_INDEX_TABLE (table-keys.ts). */
  readonly tableName: string;
  /**
   * Partitions of the position GSI (default 4). Ingestion-ordered writes to a single GSI partition would cap the
   * write rate; readers merge the shards. Only ever increase it: entries of a dropped shard would go unseen.
   */
  readonly positionShards?: number;
  /** Concurrent requests of relocate's lookups and setObjectStorage's updates (default 8). */
  readonly concurrency?: number;
  /** Wall clock in epoch ms (tests). */
  readonly clock?: () => number;
  /**
   * Longest time from a writer taking an entry's position to the entry being readable by position: the indexer
   * function's timeout, GSI propagation and clock skew between hosts (default 2 minutes; dynamodb-index-settled.ts).
   * Sets `settledPosition()` and `settleMs`. Whole ms; `InvalidArgumentError` otherwise.
   */
  readonly inFlightMs?: number;
  /**
   * Most items one Query of `between` (account and hour reads alike) or `afterPosition` evaluates: its `Limit`.
   * Default: none, DynamoDB's own 1 MB pages. A small one (tests) makes a few entries span many pages; a whole
   * number of at least 1, `InvalidArgumentError` otherwise. Counted before the type filter, as DynamoDB counts.
   */
  readonly pageSize?: number;
}

/**
 * The event index on DynamoDB. Positions are ingestion epoch ms × 1000 plus a tie-break, increasing within one
 * writer; writers on different hosts are ordered by their clocks and commit out of order, so a high-water mark is
 * `settledPosition()` (`inFlightMs` behind now), not `lastPosition()`.
 *
 * @example
 * const index = new DynamoDbEventIndex({ client: new DynamoDBClient({}), tableName: 'eventlake-index' });
 * for await (const e of index.between({ from: t1, to: t2, accounts: ['DE-1234'] })) console.log(e.id);
 */
export class DynamoDbEventIndex implements EventIndex {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly shards: number;
  private readonly concurrency: number;
  private readonly clock: () => number;
  private readonly directory: HourDirectory;
  private readonly inFlightMs: number;
  /** `{ pageSize }` when the options set one, else empty (dynamodb-index-range.ts). */
  private readonly paging: { pageSize?: number };
  /** EventIndex.settleMs: `inFlightMs` and a second. */
  readonly settleMs: number;
  private last = 0;

  constructor(options: DynamoDbEventIndexOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.shards = options.positionShards ?? 4;
    this.concurrency = options.concurrency ?? 8;
    this.clock = options.clock ?? Date.now;
    this.directory = new HourDirectory({ client: this.client, table: this.table });
    this.inFlightMs = checkInFlightMs(options.inFlightMs);
    this.settleMs = settleMsOf(this.inFlightMs);
    const pageSize = checkPageSize(options.pageSize);
    this.paging = pageSize === undefined ? {} : { pageSize };
  }

  private nextPosition(): number {
    // The random tie-break makes equal positions from two writers in the same millisecond unlikely; afterPosition
    // still returns every entry of a tied position together, so a tie never loses an entry at a page boundary.
    this.last = Math.max(this.last + 1, this.clock() * 1000 + randomInt(1000));
    return this.last;
  }

  async put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]> {
    const items = entries.map((e) => toItem(e, this.nextPosition(), this.shards));
    // The first of several puts of one id in a batch wins, as it would one put after another.
    const seen = new Set<string>();
    const firsts = items.filter((item) => !seen.has(readStr(item, A.id)) && seen.add(readStr(item, A.id)));
    const stored = await storageCall(`indexing ${firsts.length} entries`, () => putEntries({ client: this.client, table: this.table, directory: this.directory, get: (id) => this.get(id) }, firsts));
    return entries.map((e) => stored.get(e.id)!);
  }

  get(id: string): Promise<IndexEntry | undefined> {
    return storageCall(`reading index entry ${id}`, () => this.entry(id));
  }

  private async entry(id: string): Promise<IndexEntry | undefined> {
    const guard = await withRetries('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.table, Key: guardKey(id), ConsistentRead: true })));
    if (!guard.Item) return undefined;
    const out = await withRetries('GetItem', () => this.client.send(new GetItemCommand({
      TableName: this.table, ConsistentRead: true,
      Key: { [A.hour]: guard.Item![A.entryHour]!, [A.sortKey]: guard.Item![A.entrySortKey]! },
    })));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /**
   * The entries of many ids, by id (absent ids are left out): two BatchGetItems per 100 ids instead of two GetItems
   * per id. Beyond the EventIndex port; the emit facade uses it to check a whole input in one go.
   */
  getMany(ids: readonly string[]): Promise<Map<string, IndexEntry>> {
    return storageCall(`reading ${ids.length} index entries`, () => entriesById({ client: this.client, table: this.table, concurrency: this.concurrency }, ids));
  }

  async *between(query: IndexRangeQuery): AsyncIterable<IndexEntry> {
    try {
      for await (const item of rangeItems({ client: this.client, table: this.table, ...this.paging }, query)) yield fromItem(item);
    } catch (error) {
      throw storageError(`reading index entries from ${query.from} to ${query.to}`, error);
    }
  }

  afterPosition(after: number, limit: number): Promise<PositionPage> {
    return storageCall(`reading index entries after position ${after}`, () => afterPositionPage({ client: this.client, table: this.table, shards: this.shards, ...this.paging }, after, limit));
  }

  lastPosition(): Promise<number> {
    return storageCall('reading the last index position', () => lastPositionOf({ client: this.client, table: this.table, shards: this.shards }));
  }

  /** The last position, capped below any a put still in flight may hold (dynamodb-index-settled.ts says why). */
  async settledPosition(): Promise<number> {
    return settledBelow(await this.lastPosition(), this.clock(), this.inFlightMs);
  }

  relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
    return storageCall(`relocating ${moves.length} index entries`, () => relocateEntries(this.updates(), moves));
  }

  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    return storageCall(`recording the storage state of ${key}`, () => setStorageOfObject(this.updates(), key, storageClass, restore));
  }

  /** What the entry updates (dynamodb-index-updates.ts) need of this index. */
  private updates(): IndexUpdates {
    return { client: this.client, table: this.table, concurrency: this.concurrency, get: (id) => this.get(id) };
  }

  objects(options: { before?: number } = {}): Promise<ObjectSummary[]> {
    return storageCall('listing the indexed objects', () => objectSummaries({ client: this.client, table: this.table }, options));
  }

  count(): Promise<number> {
    return storageCall('counting index entries', () => countEntries({ client: this.client, table: this.table }));
  }

  /**
   * Keys of the archived, unrestored objects holding events of `range` (beyond the EventIndex port): what a query
   * over the range cannot read. Wire it to AthenaEventQuery's `unreadable`, which Athena itself never reports.
   */
  unreadableObjects(range: TimeRange): Promise<string[]> {
    return storageCall(`listing unrestored objects from ${range.from} to ${range.to}`, () => unrestoredObjects({ client: this.client, table: this.table }, range));
  }

  /** `unreadableObjects`, and of them those whose restore is running (`restoring`), read from the same items. */
  unreadableWithRestores(range: TimeRange): Promise<{ unreadable: string[]; restoring: string[] }> {
    return storageCall(`listing unrestored objects from ${range.from} to ${range.to}`, () => unrestoredWithRestores({ client: this.client, table: this.table }, range));
  }
}
