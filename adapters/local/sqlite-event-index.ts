// SqliteEventIndex: the event index in index.db (better-sqlite3, WAL): time, type and account lookups, positions.

import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventNotFoundError, InvalidArgumentError, TransientError } from '../../domain/errors.ts';
import { EVENT_OBJECT_SUFFIX } from '../../domain/event.ts';
import type { EventIndex, IndexEntry, NewIndexEntry, PositionPage, TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { FILE_MODE, ensureDirSync } from './layout.ts';
import { migrate, ownObjectKey, storedObjectKey, toEntry, type EventRow } from './sqlite-index-schema.ts';
import type { PositionRange, RangeGroup, RangeScans, ReplayCursor, ReplayEntry } from '../../projections/rebuild/deps.ts';
import { PositionDigester, type PositionDigest } from '../../projections/rebuild/position-digest.ts';
import { indexStatements, RowMapper, type IndexStatements, type RawEventRow, type RawReplayRow } from './sqlite-index-statements.ts';

const PAGE = 1_000;
/** Rows per page of a replay scan: large pages amortize the statement call, small enough to stay a few MB. */
const REPLAY_PAGE = 10_000;

/** One object as `objects()` reports it. */
type ObjectSummary = Awaited<ReturnType<EventIndex['objects']>>[number];
type OwnObjectRow = { id: string; timestamp: number; storageClass: StorageClass; restore: RestoreState; size: number };

export interface SqliteEventIndexOptions {
  /**
   * SQLite `synchronous`. FULL (default) fsyncs the WAL at every commit: one fsync per put() batch, and a relocate()
   * that compaction relies on is never lost. NORMAL may lose the last commits on power loss (never corrupts).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process's write lock before failing with TransientError. Default 5 s. */
  readonly busyTimeoutMs?: number;
}

/** A named offset stored with the entries (the local indexer's journal offset). */
export interface IndexCursor {
  readonly name: string;
  readonly value: number;
}

/**
 * The local event index. One row per event; positions are an AUTOINCREMENT rowid, so they grow with ingestion.
 *
 * @example
 * const index = new SqliteEventIndex('./.eventlake/index.db');
 * await index.put([{ id, type, timestamp, accounts, location: { key }, size, storageClass: 'STANDARD', restore: 'NONE' }]);
 * for await (const e of index.between({ from: t1, to: t2, accounts: ['DE-1234'] })) console.log(e.id);
 */
export class SqliteEventIndex implements EventIndex, RangeScans {
  private readonly db: Database.Database;
  private readonly sql: IndexStatements;
  private readonly rows = new RowMapper();
  /** setObjectStorage calls waiting for their shared commit. */
  private storageChanges: { key: string; storageClass: StorageClass; restore: RestoreState; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(dbFile: string, options: SqliteEventIndexOptions = {}) {
    ensureDirSync(dirname(dbFile));
    closeSync(openSync(dbFile, 'a', FILE_MODE)); // create it 0600; SQLite gives -wal/-shm the same mode
    this.db = guard(() => new Database(dbFile));
    this.db.pragma('journal_mode = WAL');
    // Random ids dirty a different index page per row, so checkpointing the WAL every 1,000 pages (the default)
    // rewrites most of the index at every put(); checkpointing every 10,000 pages (~40 MB) halves the write cost.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('journal_size_limit = 67108864');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    guard(() => migrate(this.db));
    this.sql = indexStatements(this.db);
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
    return guard(() => this.db.transaction(() => {
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

  async *between(query: TimeRangeQuery): AsyncIterable<IndexEntry> {
    const { from, to } = query;
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new InvalidArgumentError('range', `from and to must be epoch seconds (got ${from}, ${to})`);
    const types = query.types ? JSON.stringify(query.types) : null;
    const statement = query.accounts ? this.sql.betweenByAccount : this.sql.betweenByTime;
    const accounts = query.accounts ? JSON.stringify(query.accounts) : null;
    // Keyset pages: no statement stays open across a yield, so callers may use the index while iterating.
    let after = { ts: -Infinity, id: '' };
    for (;;) {
      const rows = guard(() => statement.all({ from, to, types, accounts, afterTs: after.ts, afterId: after.id, limit: PAGE }) as EventRow[]);
      for (const row of rows) yield toEntry(row);
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = { ts: last.timestamp, id: last.id };
    }
  }

  async afterPosition(after: number, limit: number): Promise<PositionPage> {
    const rows = guard(() => this.sql.afterPosition.all(after, limit) as RawEventRow[]);
    const entries = rows.map((row) => this.rows.entry(row));
    return { entries, next: entries.at(-1)?.position ?? after };
  }

  /** Rebuild scan (`RangeScans`): the replay entries of a position range, from raw rows of only the columns needed. */
  async replayEntries(range: PositionRange): Promise<ReplayEntry[]> {
    const out: ReplayEntry[] = [];
    const params = { after: range.after, upTo: range.upTo, until: range.until ?? null, limit: REPLAY_PAGE };
    // Keyset pages, so no statement stays open between calls (the caller may use the index meanwhile).
    for (;;) {
      const rows = guard(() => this.sql.replayPage.all(params) as RawReplayRow[]);
      for (let i = 0; i < rows.length; i++) out.push(this.rows.replayEntry(rows[i]!));
      if (rows.length < REPLAY_PAGE) return out;
      params.after = rows[rows.length - 1]![0];
    }
  }

  /** Rebuild scan (`RangeScans`): the next `limit` replay entries of the range after `cursor`, in replay order. */
  async replayEntriesAfter(range: PositionRange, cursor: ReplayCursor | undefined, limit: number): Promise<ReplayEntry[]> {
    const rows = guard(() => this.sql.replayOrderPage.all(this.orderParams(range, cursor, limit)) as RawReplayRow[]);
    return rows.map((row) => this.rows.replayEntry(row));
  }

  /** Rebuild scan (`RangeScans`): how many entries of the range come after `cursor` in replay order. */
  async countAfter(range: PositionRange, cursor: ReplayCursor | undefined): Promise<number> {
    return guard(() => this.sql.replayOrderCount.get(this.orderParams(range, cursor, 0)) as number);
  }

  private orderParams(range: PositionRange, cursor: ReplayCursor | undefined, limit: number) {
    // No cursor: before every entry (timestamps are finite numbers; '' sorts before every id).
    return { after: range.after, upTo: range.upTo, until: range.until ?? null, limit, ts: cursor?.timestamp ?? -Number.MAX_VALUE, id: cursor?.id ?? '' };
  }

  /** Rebuild scan (`RangeScans`): events and bytes of a position range per storage class, restore state and object. */
  async summarize(range: PositionRange): Promise<RangeGroup[]> {
    const rows = guard(() => this.sql.summary.all({ after: range.after, upTo: range.upTo, until: range.until ?? null }) as [StorageClass, RestoreState, string | null, number, number][]);
    return rows.map(([storageClass, restore, key, events, bytes]) => ({ storageClass, restore, key, events, bytes }));
  }

  /** Rebuild scan (`RangeScans`): the digest of a position range's positions, from a scan of that column alone. */
  async positionDigest(range: PositionRange): Promise<PositionDigest> {
    const digester = new PositionDigester();
    // all() in one call (integers, 8 bytes each) costs a fraction of iterate()'s per-row round trips.
    const positions = guard(() => this.sql.positions.all({ after: range.after, upTo: range.upTo, until: range.until ?? null }) as number[]);
    for (let i = 0; i < positions.length; i++) digester.add(positions[i]!);
    return digester.digest();
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

  /**
   * Changes requested in the same turn of the event loop (an archive tier reporting a batch of restores at once)
   * commit as one transaction, in the order requested: one commit (one fsync) for hundreds of segments. Each call
   * resolves once its change is committed, or rejects with the batch's error.
   */
  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    return new Promise((resolve, reject) => {
      this.storageChanges.push({ key, storageClass, restore, resolve, reject });
      if (this.storageChanges.length === 1) queueMicrotask(() => this.commitStorageChanges());
    });
  }

  private commitStorageChanges(): void {
    const changes = this.storageChanges;
    this.storageChanges = [];
    try {
      guard(() => this.db.transaction(() => { for (const c of changes) this.setStorage(c.key, c.storageClass, c.restore); }).immediate());
    } catch (error) {
      for (const c of changes) c.reject(error);
      return;
    }
    for (const c of changes) c.resolve();
  }

  private setStorage(key: string, storageClass: StorageClass, restore: RestoreState): void {
    this.sql.setStorageByKey.run(storageClass, restore, key);
    if (!key.endsWith(EVENT_OBJECT_SUFFIX)) return;
    const id = key.slice(key.lastIndexOf('/') + 1, -EVENT_OBJECT_SUFFIX.length);
    const row = this.sql.byId.get(id) as EventRow | undefined;
    if (row && row.object_key === null && ownObjectKey(id, row.timestamp) === key) this.sql.setStorageById.run(storageClass, restore, id);
  }

  async objects(options: { before?: number } = {}): Promise<ObjectSummary[]> {
    const before = options.before ?? null;
    return guard(() => {
      const shared = this.sql.sharedObjects.all({ before }) as ObjectSummary[];
      const own = (this.sql.ownObjects.all({ before }) as OwnObjectRow[]).map((r): ObjectSummary => ({
        key: ownObjectKey(r.id, r.timestamp), storageClass: r.storageClass, restore: r.restore, events: 1, bytes: r.size, maxTimestamp: r.timestamp,
      }));
      return [...shared, ...own].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }

  async count(): Promise<number> {
    return guard(() => (this.sql.count.get() as { n: number }).n);
  }

  close(): void {
    this.db.close();
  }

  private insert(e: NewIndexEntry): IndexEntry {
    const r = this.sql.insert.run(e.id, e.type, e.timestamp, JSON.stringify(e.accounts), storedObjectKey(e.id, e.timestamp, e.location),
      e.location.offset ?? null, e.location.length ?? null, e.size, e.storageClass, e.restore);
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

/** Run a SQLite call, mapping "database busy/locked" to TransientError (retry may succeed). */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) throw new TransientError(`index.db is busy: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
