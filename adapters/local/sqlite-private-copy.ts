// In-memory private copies of a read-only data dir's SQLite files: a process reading a data dir it may not (or must
// not) write opens each database as a copy in memory, so nothing is created, locked or changed beside the file.

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';

const readOnlyRoots = new Map<string, number>();

/**
 * From now until the returned function runs, `openDatabase` opens every file under `root` as a private in-memory copy
 * (`privateCopy`). Why a process-wide mark and not an option: every local adapter opens its database through
 * `openDatabase` by path, and the read-only opener must reach all of them (and a second SqliteEventIndex that
 * `eventlake query` opens beside the runtime) without each adapter growing a mode of its own.
 */
export function markReadOnly(root: string): () => void {
  const at = resolve(root);
  readOnlyRoots.set(at, (readOnlyRoots.get(at) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (readOnlyRoots.get(at) ?? 1) - 1;
    if (left === 0) readOnlyRoots.delete(at);
    else readOnlyRoots.set(at, left);
  };
}

/** Whether `markReadOnly` marked `root` and has not released it yet. */
export function isReadOnlyRoot(root: string): boolean {
  return readOnlyRoots.has(resolve(root));
}

/** Whether `file` lies under a root `markReadOnly` marked. */
export function isReadOnlyFile(file: string): boolean {
  const at = resolve(file);
  for (const root of readOnlyRoots.keys()) if (at.startsWith(root + sep)) return true;
  return false;
}

// Bytes 18 and 19 of a SQLite header: the read and write format versions, 2 for WAL. A deserialized database has no
// -shm to share, and SQLite refuses one marked WAL (SQLITE_CANTOPEN); 1 (rollback journal) reads the same pages.
const WAL_FORMAT = 2;

/**
 * `file` as a database in memory, or an empty one when there is no file (an older data dir without it): written to
 * by nothing but this process, and lost at close. SQLite opens a WAL file, even read-only, by creating or writing its
 * -shm and -wal files (impossible on a read-only mount, and a change to a backup), and this better-sqlite3 build takes
 * no `immutable=1` URI. A -wal file holding commits (a writer that crashed, or one still running) is folded in
 * through a copy in the OS temp dir, removed before this returns.
 */
export function privateCopy(file: string): Database.Database {
  if (!exists(file)) return new Database(':memory:');
  const bytes = walBytes(file) > 0 ? foldedWal(file) : readFileSync(file);
  if (bytes.length >= 20 && bytes[18] === WAL_FORMAT && bytes[19] === WAL_FORMAT) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes);
}

function exists(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false }) !== undefined;
}

function walBytes(file: string): number {
  return statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/** The database with its WAL's commits, read from a copy of both (SQLite replays a WAL only with write access). */
function foldedWal(file: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'eventlake-read-only-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy);
    try {
      return db.serialize();
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
