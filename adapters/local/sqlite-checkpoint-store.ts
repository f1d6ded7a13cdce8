// SQLite checkpoint store: named positions (the dispatch tail's) in dispatch.db, shared with the dead letters.

import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { TransientError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { openDatabase } from './sqlite-open.ts';
import { asStorageFull, isDiskFailure } from './storage-full.ts';

/**
 * Opens a SQLite file of the data dir: mode 0600, WAL, fsync on commit (unless `pragmas` say otherwise), waiting up
 * to 5 s for another process's lock. dispatch.db (checkpoints, dead letters) and projections.db are opened with it.
 * On a full or failing disk it throws `StorageFullError` naming the file (`openDatabase`).
 */
export function openSqlite(file: string, pragmas: readonly string[] = []): Db {
  return openDatabase(file, (db) => {
    db.pragma('busy_timeout = 5000');
    retryWhileBusy(() => db.pragma('journal_mode = WAL'));
    for (const pragma of ['synchronous = FULL', ...pragmas]) db.pragma(pragma);
  });
}

/**
 * Run `fn`, retrying it for about a second while SQLite answers SQLITE_BUSY. Why: processes opening a new data dir
 * together race to switch a file to WAL, which SQLite refuses at once to all but one (its busy handler does not cover
 * that switch), so the others must retry; a synchronous sleep, because constructors cannot await.
 */
export function retryWhileBusy(fn: () => void): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 200) throw error;
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 20);
    }
  }
}

/**
 * Runs `fn`, mapping SQLite lock failures to `TransientError` (a retry may succeed soon) and a full or failing disk
 * (SQLITE_FULL, SQLITE_IOERR*) to `StorageFullError` naming `where` (the file): no retry helps before space is freed,
 * so callers that retry (the dispatch tail) stop at once instead of retrying event by event for hours.
 */
export function retryable<T>(what: string, fn: () => T, where = 'the data dir'): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    // SQLite rolled the statement's transaction back: nothing of it is kept.
    if (isDiskFailure(error)) throw asStorageFull(error, what, where, 'nothing of it was written');
    if (!/^SQLITE_(BUSY|LOCKED)/.test(error.code)) throw error;
    throw new TransientError(`${what} failed: ${error.message}`, { cause: error });
  }
}

/**
 * Durable named positions. A position is an integer (a sequence locally, epoch ms in AWS); 0 when never set.
 *
 * @example
 * const checkpoints = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
 * await checkpoints.set('dispatch', 42);
 * await checkpoints.compareAndSet('dispatch', 42, 43); // true: it held 42
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Db;
  private readonly getStmt: Statement;
  private readonly setStmt: Statement;
  private readonly swapStmt: Statement;
  private readonly swapFromZeroStmt: Statement;

  constructor(readonly file: string) {
    this.db = openSqlite(file);
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID');
    this.getStmt = this.db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck();
    this.setStmt = this.db.prepare('INSERT INTO checkpoints VALUES (?, ?) ON CONFLICT DO UPDATE SET position = excluded.position');
    // One statement each, so the read and the write are one atomic step (SQLite serializes writers across processes).
    this.swapStmt = this.db.prepare('UPDATE checkpoints SET position = ? WHERE name = ? AND position = ?');
    // A missing row reads as 0, so from 0 the row may be inserted, or updated only where it still holds 0.
    this.swapFromZeroStmt = this.db.prepare('INSERT INTO checkpoints VALUES (?, ?) ON CONFLICT DO UPDATE SET position = excluded.position WHERE checkpoints.position = 0');
  }

  async get(name: string): Promise<number> {
    return retryable('checkpoint get', () => (this.getStmt.get(name) as number | undefined) ?? 0, this.file);
  }

  async set(name: string, position: number): Promise<void> {
    retryable('checkpoint set', () => this.setStmt.run(name, position), this.file);
  }

  async compareAndSet(name: string, expected: number, next: number): Promise<boolean> {
    return retryable('checkpoint compare-and-set', () =>
      (expected === 0 ? this.swapFromZeroStmt.run(name, next) : this.swapStmt.run(next, name, expected)).changes === 1, this.file);
  }

  close(): void {
    this.db.close();
  }
}
