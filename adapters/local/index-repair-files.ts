// The file side of `repairIndex`: is a SQLite file of the data dir in use, do two index files hold the same rows, and
// the swap of a rebuilt index.db into place with the old one (and its -wal/-shm) kept aside.

import { namingCommands } from '../../domain/command-spelling.ts';
import Database from 'better-sqlite3';
import { existsSync, fsyncSync, linkSync, openSync, closeSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { TransientError } from '../../domain/errors.ts';
import { fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { ROW_COLUMNS } from './sqlite-index-schema.ts';

/** What stops every process using a data dir must be told before a repair. */
export const STOP_FIRST = 'stop every process using the data dir first (eventlake serve, run, emit, rebuild, or a program that opened it):';

/**
 * Refuse when another connection holds `file` open. Best effort: in WAL mode every open connection keeps a shared
 * lock on the database file, so an exclusive lock taken without waiting fails while any other is open (this process's
 * too). A file SQLite cannot read at all (damaged) cannot be probed and passes. Closing the probe checkpoints a
 * healthy file's WAL into it, so the file is whole on its own afterwards.
 */
export function refuseIfInUse(file: string): void {
  if (!existsSync(file)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      throw namingCommands((spell) => new TransientError(`dataDir: ${file} is in use by another process, and a repair would replace files it keeps writing; nothing was changed. ` +
        `${STOP_FIRST} then run ${spell('repair', 'index')} again`, { cause: error }));
    }
  } finally {
    db?.close();
  }
}

/** How an old index compares with the rebuilt one. */
export interface IndexComparison {
  /** The old index could be read whole (false: absent or damaged, and positions cannot be compared). */
  readonly readable: boolean;
  /** Every old row has the same position in the new index (new events may follow). */
  readonly samePositions: boolean;
  /** Same rows, same account rows, same cursors: replacing it would change nothing. */
  readonly identical: boolean;
  /**
   * All that differs is content digests the old index lacks (indexed before digests, 27 Nov 2026): replacing it only
   * adds them, and nothing of the old one is worth keeping.
   */
  readonly onlyDigestsMissing?: boolean;
  /** Readable only: the old index's last position, and the last old position of an event archived now (0: none). */
  readonly old?: OldPositions;
}

/** Where the old index put its events (see `forgetPositions`: a checkpoint valid for both indexes). */
export interface OldPositions {
  readonly lastPosition: number;
  readonly lastArchived: number;
  /** The first rebuilt position after the archived ones whose event the old index lacks (never dispatched); 0: none. */
  readonly firstUnindexed: number;
}

const NOT_READABLE: IndexComparison = { readable: false, samePositions: false, identical: false };

/**
 * Compare the old index.db (if any) with the rebuilt one, row by row, without holding either in memory.
 * `archivedThrough`: the rebuilt index's last archived position (its archived events are positions 1 to it).
 */
export function compareIndexes(oldFile: string, newFile: string, archivedThrough: number): IndexComparison {
  if (!existsSync(oldFile)) return NOT_READABLE;
  // Not `readonly`: a read-only connection cannot remove the -wal and -shm it creates, which would stay behind.
  let before: Database.Database;
  try {
    before = new Database(oldFile, { fileMustExist: true });
  } catch {
    return NOT_READABLE;
  }
  const after = new Database(newFile, { fileMustExist: true });
  try {
    if (before.pragma('quick_check', { simple: true }) !== 'ok') return NOT_READABLE;
    // Rows compare without their digest: an index.db made before digests has no such column (or, migrated by an
    // open, NULL in it), which is not damage. Digests then compare on their own.
    const digests = before.prepare("SELECT 1 FROM pragma_table_info('events') WHERE name = 'digest'").get() !== undefined;
    const rows = zip(before, after, `SELECT ${ROW_COLUMNS.replace(', digest', '')} FROM events ORDER BY position`);
    if (!rows.prefix) return { readable: true, samePositions: false, identical: false, old: oldPositions(before, newFile, archivedThrough) };
    const accounts = zip(before, after, 'SELECT account, timestamp, id FROM event_accounts ORDER BY account, timestamp, id');
    const cursors = zip(before, after, 'SELECT name, value FROM cursors ORDER BY name');
    const same = rows.equal && accounts.equal && cursors.equal;
    const sameDigests = digests && zip(before, after, 'SELECT position, digest FROM events ORDER BY position').equal;
    return { readable: true, samePositions: true, identical: same && sameDigests, onlyDigestsMissing: same && !sameDigests && (!digests || oldLacksOnlyDigests(before, newFile)) };
  } catch {
    return NOT_READABLE; // a damaged page, or a file that is not an index: nothing of it can be trusted
  } finally {
    before.close();
    after.close();
  }
}

function oldPositions(before: Database.Database, newFile: string, archivedThrough: number): OldPositions {
  const last = (sql: string, ...params: unknown[]) => (before.prepare(sql).pluck().get(...params) as number | null) ?? 0;
  before.prepare('ATTACH DATABASE ? AS rebuilt').run(newFile);
  try {
    return {
      lastPosition: last('SELECT max(position) FROM main.events'),
      lastArchived: last('SELECT max(o.position) FROM rebuilt.events n JOIN main.events o ON o.id = n.id WHERE n.position <= ?', archivedThrough),
      firstUnindexed: last('SELECT min(n.position) FROM rebuilt.events n LEFT JOIN main.events o ON o.id = n.id WHERE o.id IS NULL AND n.position > ?', archivedThrough),
    };
  } finally {
    before.exec('DETACH DATABASE rebuilt');
  }
}

/**
 * Make every position the rebuilt index gives from now on come after `position` (AUTOINCREMENT's counter): a
 * dispatch checkpoint set there must not pass over events appended later.
 */
export function reservePositionsThrough(file: string, position: number): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.transaction(() => {
      const { changes } = db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'").run(position);
      if (changes === 0 && position > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(position);
    })();
  } finally {
    db.close(); // the last connection: the WAL goes into the file before it is fsynced and swapped in
  }
}

/**
 * Walk the rows of `sql` in both databases side by side. `prefix`: every row of `a` has its equal in `b` at the same
 * place, compared by its first two columns (position and id); `equal`: the rows are the same, all columns, and as many.
 */
function zip(a: Database.Database, b: Database.Database, sql: string): { prefix: boolean; equal: boolean } {
  const left = (a.prepare(sql).raw().iterate() as IterableIterator<unknown[]>)[Symbol.iterator]();
  const right = (b.prepare(sql).raw().iterate() as IterableIterator<unknown[]>)[Symbol.iterator]();
  let equal = true;
  try {
    for (;;) {
      const l = left.next();
      const r = right.next();
      if (l.done) return { prefix: true, equal: equal && r.done === true };
      if (r.done || l.value[0] !== r.value[0] || l.value[1] !== r.value[1]) return { prefix: false, equal: false };
      if (equal && JSON.stringify(l.value) !== JSON.stringify(r.value)) equal = false;
    }
  } finally {
    left.return?.();
    right.return?.();
  }
}

/**
 * Put `newFile` in place of `indexDb`: it is fsynced first; an old index.db is hard-linked to `keptAt` (so it is never
 * missing, and never deleted), its -wal and -shm move to `keptAt`-wal/-shm (SQLite would apply a stale WAL to the new
 * file: it finds a WAL by name), then rename() replaces index.db atomically and the folder is fsynced.
 * @returns where the old index.db is kept, or undefined when there was none.
 */
export function swapIndexFile(newFile: string, indexDb: string, keptAt: string): string | undefined {
  const fd = openSync(newFile, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const hadOld = existsSync(indexDb);
  if (hadOld) linkSync(indexDb, keptAt);
  const movedWal = ['-wal', '-shm'].filter((suffix) => existsSync(`${indexDb}${suffix}`));
  for (const suffix of movedWal) renameSync(`${indexDb}${suffix}`, `${keptAt}${suffix}`);
  renameSync(newFile, indexDb);
  fsyncDirSync(dirname(indexDb));
  return hadOld || movedWal.length > 0 ? keptAt : undefined;
}

/** Remove a SQLite file with its -wal and -shm (the rebuilt index when it is not used). */
export function removeDbFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) unlinkIfExists(`${file}${suffix}`);
}

/** Whether every digest the old index holds is the rebuilt one's: it lacks some, and has none that differs. */
function oldLacksOnlyDigests(before: Database.Database, newFile: string): boolean {
  before.prepare('ATTACH DATABASE ? AS rebuilt').run(newFile);
  try {
    return before.prepare('SELECT 1 FROM events o JOIN rebuilt.events n USING (position) WHERE o.digest IS NOT NULL AND o.digest IS NOT n.digest LIMIT 1').get() === undefined;
  } finally {
    before.prepare('DETACH DATABASE rebuilt').run();
  }
}
