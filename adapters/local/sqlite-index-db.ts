// Opening index.db (file mode, WAL and its pragmas, migrations), waiting for another process's write lock without
// blocking the event loop for long, and mapping its busy errors to a TransientError that names the holder.

import type Database from 'better-sqlite3';
import { TransientError } from '../../domain/errors.ts';
import { migrate } from './sqlite-index-schema.ts';
import { writeLockHolder } from './sqlite-lock-holder.ts';
import { whenUnlocked } from './sqlite-lock-wait.ts';
import { openDatabase } from './sqlite-open.ts';
import { asStorageFull } from './storage-full.ts';

/** How SqliteEventIndex opens index.db. */
export interface SqliteEventIndexOptions {
  /**
   * SQLite `synchronous`. FULL (default) fsyncs the WAL at every commit: one fsync per put() batch, and a relocate()
   * that compaction relies on is never lost. NORMAL may lose the last commits on power loss (never corrupts).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long an index write (`putWithCursor`: every catch-up's indexing) waits for another process's write lock before
   * failing with TransientError, in steps of at most 200 ms between which the event loop runs. Default 30 s. Other
   * statements wait synchronously (SQLite's busy_timeout) up to the smaller of it and 5 s.
   */
  readonly busyTimeoutMs?: number;
  /** Rows each statement of a range read (`between`) returns, default 1,000: small in tests, so few entries span pages. */
  readonly rangePageSize?: number;
  /** Aborted when the process closes: a write waiting for the lock then fails at once (nothing written) instead of waiting on. */
  readonly signal?: AbortSignal;
}

/** Default of `busyTimeoutMs`: a CLI read during another process's large catch-up outlasted 5 s. */
const LOCK_WAIT_MS = 30_000;
/** The longest synchronous busy wait of other statements. */
const SYNC_WAIT_MS = 5_000;

/** Each index.db connection's `busyTimeoutMs` and `signal`, for `whenIndexUnlocked`. */
const lockWaits = new WeakMap<Database.Database, number>();
const signals = new WeakMap<Database.Database, AbortSignal>();

/**
 * index.db opened (created 0600 when missing) and migrated, with the pragmas `options` ask for. On a full or failing
 * disk it throws `StorageFullError` naming the file (`openDatabase`).
 */
export function openIndexDb(dbFile: string, options: SqliteEventIndexOptions): Database.Database {
  const lockWait = Math.max(0, Math.floor(options.busyTimeoutMs ?? LOCK_WAIT_MS));
  const db = openDatabase(dbFile, (db) => {
    db.pragma('journal_mode = WAL');
    // Random ids dirty a different index page per row, so checkpointing the WAL every 1,000 pages (the default)
    // rewrites most of the index at every put(); checkpointing every 10,000 pages (~40 MB) halves the write cost.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.min(lockWait, SYNC_WAIT_MS)}`);
    guard(() => migrate(db));
  });
  lockWaits.set(db, lockWait);
  if (options.signal) signals.set(db, options.signal);
  return db;
}

/**
 * `fn` (a write of index.db `db`) run as `guard` runs it, tried again while another connection holds the write lock,
 * for up to the connection's `busyTimeoutMs` (default 30 s), in short steps with the event loop free (`whenUnlocked`
 * of sqlite-lock-wait.ts); then a TransientError naming the holder and what to do. Ended at once by the connection's
 * `signal` (close()).
 */
export function whenIndexUnlocked<T>(db: Database.Database, fn: () => T): Promise<T> {
  const budgetMs = lockWaits.get(db) ?? LOCK_WAIT_MS;
  const stillLocked = (busy: Error) => lockedThrough(db.name, budgetMs, busy as TransientError);
  return whenUnlocked(db, () => guard(fn), { budgetMs, signal: signals.get(db), stillLocked, what: "index.db's write" });
}

/** The TransientError of a write that waited `waitedMs` for index.db `file`'s lock in vain, naming its holder. */
function lockedThrough(file: string, waitedMs: number, error: TransientError): TransientError {
  const holder = writeLockHolder(file);
  const who = holder ? `${holder} held its write lock` : 'another process held its write lock (usually an eventlake serve or run indexing a backlog, or a rebuild, archive run or repair index)';
  return new TransientError(`index.db is busy: ${who} for all of the ${waitedMs / 1000} s this write waited; nothing was changed. ` +
    'Try again once that process has caught up: it indexes these events too', { cause: error.cause });
}

/**
 * Run a SQLite call of index.db, mapping "database busy/locked" to TransientError (retry may succeed) and a full or
 * failing disk to StorageFullError: SQLite rolled the statement's transaction back, so index.db is as it was and the
 * same operation run again once space is freed redoes it (every writer of the index is an idempotent catch-up).
 */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      throw new TransientError(`index.db is busy: ${(error as Error).message} (another process holds its write lock, such as an eventlake serve or run ` +
        'indexing a backlog); nothing was changed: run it again once that process has caught up', { cause: error });
    }
    throw asStorageFull(error, 'a statement on index.db', 'index.db', 'index.db is unchanged by it (SQLite rolled it back)');
  }
}
