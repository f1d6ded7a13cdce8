// Opening index.db (file mode, WAL and its pragmas, migrations) and mapping its busy errors to TransientError.

import type Database from 'better-sqlite3';
import { TransientError } from '../../domain/errors.ts';
import { migrate } from './sqlite-index-schema.ts';
import { openDatabase } from './sqlite-open.ts';
import { asStorageFull } from './storage-full.ts';

/** How SqliteEventIndex opens index.db. */
export interface SqliteEventIndexOptions {
  /**
   * SQLite `synchronous`. FULL (default) fsyncs the WAL at every commit: one fsync per put() batch, and a relocate()
   * that compaction relies on is never lost. NORMAL may lose the last commits on power loss (never corrupts).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process's write lock before failing with TransientError. Default 5 s. */
  readonly busyTimeoutMs?: number;
}

/**
 * index.db opened (created 0600 when missing) and migrated, with the pragmas `options` ask for. On a full or failing
 * disk it throws `StorageFullError` naming the file (`openDatabase`).
 */
export function openIndexDb(dbFile: string, options: SqliteEventIndexOptions): Database.Database {
  return openDatabase(dbFile, (db) => {
    db.pragma('journal_mode = WAL');
    // Random ids dirty a different index page per row, so checkpointing the WAL every 1,000 pages (the default)
    // rewrites most of the index at every put(); checkpointing every 10,000 pages (~40 MB) halves the write cost.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    guard(() => migrate(db));
  });
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
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) throw new TransientError(`index.db is busy: ${(error as Error).message}`, { cause: error });
    throw asStorageFull(error, 'a statement on index.db', 'index.db', 'index.db is unchanged by it (SQLite rolled it back)');
  }
}
