// SqliteEventIndex: the event index in index.db (better-sqlite3, WAL): time, type and account lookups, positions.

import type Database from 'better-sqlite3';
import { EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import type { EventIndex, IndexEntry, IndexRangeQuery, NewIndexEntry, PositionPage } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import type { PositionRange, RangeGroup, RangeScans, ReplayCursor, ReplayEntry } from '../../projections/rebuild/deps.ts';
import type { PositionDigest } from '../../projections/rebuild/position-digest.ts';
import type { RangeHead } from '../../projections/index-lookups.ts';
import { guard, openIndexDb, whenIndexUnlocked, type SqliteEventIndexOptions } from './sqlite-index-db.ts';
import { IndexObjects, type ObjectSummary } from './sqlite-index-objects.ts';
import { storedObjectKey, toEntry, type EventRow } from './sqlite-index-schema.ts';
import { indexStatements, RowMapper, type IndexStatements, type RawEventRow } from './sqlite-index-statements.ts';
import { RangeReads } from './sqlite-range-reads.ts';
import { SqliteRangeScans } from './sqlite-range-scans.ts';

const PAGE = 1_000;

/** A named offset stored with the entries (the local indexer's journal offset). */
export interface IndexCursor {
  readonly name: string;
  readonly value: number;
}

/**
 * The local event index. One row per event; positions are an AUTOINCREMENT rowid, so they grow with ingestion, with
 * gaps (see `insert`).
 *
 * @example
 * const index = new SqliteEventIndex('./.eventlake/index.db');
 * await index.put([{ id, type, timestamp, accounts, location: { key }, size, storageClass: 'STANDARD', restore: 'NONE' }]);
 * for await (const e of index.between({ from: t1, to: t2, accounts: ['DE-1234'] })) console.log(e.id);
 */
export class SqliteEventIndex implements EventIndex, RangeScans, RangeHead {
  private readonly db: Database.Database;
  private readonly sql: IndexStatements;
  private readonly rows = new RowMapper();
  private readonly scans: SqliteRangeScans;
  private readonly ranges: RangeReads;
  private readonly stored: IndexObjects;
  private readonly pageSize: number;

  constructor(dbFile: string, options: SqliteEventIndexOptions = {}) {
    this.pageSize = options.rangePageSize ?? PAGE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new InvalidArgumentError('rangePageSize', `must be a whole number of rows of at least 1, e.g. ${PAGE}; got ${String(this.pageSize)}`);
    this.db = openIndexDb(dbFile, options);
    this.sql = indexStatements(this.db);
    this.scans = new SqliteRangeScans(this.sql, this.rows);
    this.ranges = new RangeReads(this.db, this.sql);
    this.stored = new IndexObjects(this.db, this.sql);
  }

  async put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]> {
    return this.putWithCursor(entries);
  }

  /**
   * `put`, and move a named cursor forward to `cursor.value` in the same transaction (never backwards), so the
   * entries and "how far the source was read" commit together or not at all.
   */
  async putWithCursor(entries: readonly NewIndexEntry[], cursor?: IndexCursor): Promise<IndexEntry[]> {
    entries.forEach(validate);
    return whenIndexUnlocked(this.db, () => this.db.transaction(() => {
      const stored = entries.map((e) => this.insert(e));
      if (cursor) this.sql.advanceCursor.run(cursor.name, cursor.value);
      return stored;
    }).immediate());
  }

  /** Value of a cursor (0 if never set). */
  async cursor(name: string): Promise<number> {
    return guard(() => (this.sql.cursor.get(name) as { value: number } | undefined)?.value ?? 0);
  }

  async get(id: string): Promise<IndexEntry | undefined> {
    const row = guard(() => this.sql.byId.get(id) as EventRow | undefined);
    return row && toEntry(row);
  }

  between(query: IndexRangeQuery): AsyncIterable<IndexEntry> {
    return this.ranges.read(query, this.pageSize);
  }

  /** The first `count` entries `between(query)` yields, from one statement limited to `count` rows (`RangeHead`). */
  async firstEntries(query: IndexRangeQuery, count: number): Promise<IndexEntry[]> {
    const out: IndexEntry[] = [];
    if (count < 1) return out;
    for await (const e of this.ranges.read(query, count)) if (out.push(e) === count) break;
    return out;
  }

  async afterPosition(after: number, limit: number): Promise<PositionPage> {
    const rows = guard(() => this.sql.afterPosition.all(after, limit) as RawEventRow[]);
    const entries = rows.map((row) => this.rows.entry(row));
    return { entries, next: entries.at(-1)?.position ?? after };
  }

  // Rebuild scans (`RangeScans`), run by SqliteRangeScans on this connection's statements.
  replayEntries(range: PositionRange): Promise<ReplayEntry[]> {
    return this.scans.replayEntries(range);
  }

  replayEntriesAfter(range: PositionRange, cursor: ReplayCursor | undefined, limit: number): Promise<ReplayEntry[]> {
    return this.scans.replayEntriesAfter(range, cursor, limit);
  }

  countAfter(range: PositionRange, cursor: ReplayCursor | undefined): Promise<number> {
    return this.scans.countAfter(range, cursor);
  }

  summarize(range: PositionRange): Promise<RangeGroup[]> {
    return this.scans.summarize(range);
  }

  positionDigest(range: PositionRange): Promise<PositionDigest> {
    return this.scans.positionDigest(range);
  }

  async lastPosition(): Promise<number> {
    return guard(() => (this.sql.lastPosition.get() as { p: number }).p);
  }

  async relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
    guard(() => this.db.transaction(() => {
      for (const { id, location } of moves) {
        const row = this.sql.byId.get(id) as EventRow | undefined;
        if (!row) throw new EventNotFoundError(id); // rolls the whole transaction back
        this.sql.relocate.run(storedObjectKey(id, row.timestamp, location), location.offset ?? null, location.length ?? null, id);
      }
    }).immediate());
  }

  /** Batched with the other changes of the same turn of the event loop into one commit (see IndexObjects). */
  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    return this.stored.setObjectStorage(key, storageClass, restore);
  }

  objects(options: { before?: number } = {}): Promise<ObjectSummary[]> {
    return this.stored.objects(options);
  }

  /** Of archived objects `keys`, those holding no event in the range (see IndexObjects.withoutEventsIn). */
  withoutEventsIn(keys: readonly string[], range: { readonly from: number; readonly to: number }): Promise<Set<string>> {
    return this.stored.withoutEventsIn(keys, range);
  }

  async count(): Promise<number> {
    return guard(() => (this.sql.count.get() as { n: number }).n);
  }

  /**
   * Events with a position in (`after`, `upTo`]. Positions have gaps (see `insert`), so this, not `upTo - after`, is
   * how many events lie between two positions.
   */
  async countBetweenPositions(after: number, upTo: number): Promise<number> {
    return guard(() => this.sql.countBetweenPositions.get(after, upTo) as number);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Why positions have gaps, and why they are harmless: SQLite hands out the next AUTOINCREMENT value before the
   * UNIQUE(id) check, and an `INSERT OR IGNORE` that is then ignored keeps it consumed (a rolled-back transaction does
   * not). Several processes on one data dir each run a LocalIndexer; two that read the ingest-journal cursor before
   * either commits put the same page, and the second's ignored re-puts burn one position each (4 concurrent
   * `eventlake emit` of 7 events: 28 events, last position 42). No event is indexed twice (id is UNIQUE) or lost, and
   * puts are IMMEDIATE transactions, so every committed position is above every earlier one: a tail reading
   * `position > checkpoint` misses nothing. Count events with `countBetweenPositions`, never by subtracting positions.
   */
  private insert(e: NewIndexEntry): IndexEntry {
    const r = this.sql.insert.run(e.id, e.type, e.timestamp, JSON.stringify(e.accounts), storedObjectKey(e.id, e.timestamp, e.location),
      e.location.offset ?? null, e.location.length ?? null, e.size, e.storageClass, e.restore, e.digest ?? null);
    if (r.changes === 0) return toEntry(this.sql.byId.get(e.id) as EventRow);
    for (const account of e.accounts) this.sql.insertAccount.run(account, e.timestamp, e.id);
    return { ...e, position: Number(r.lastInsertRowid) };
  }
}

function validate(e: NewIndexEntry, i: number): void {
  if (typeof e.id !== 'string' || e.id === '' || typeof e.type !== 'string' || !Number.isFinite(e.timestamp) || typeof e.location?.key !== 'string') {
    throw new InvalidArgumentError(`entries[${i}]`, 'an index entry needs an id, a type, a numeric timestamp and a location key');
  }
}
