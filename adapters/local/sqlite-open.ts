// Opening a SQLite file of the data dir: created 0600, set up, and on a full or failing disk a StorageFullError
// (on a read-only or foreign one a DataDirNotWritableError) naming the file, with nothing left open.

import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDirSync, FILE_MODE } from './layout.ts';
import { asNotWritable } from './data-dir-access.ts';
import { asStorageFull } from './storage-full.ts';
import { isReadOnlyFile, privateCopy } from './sqlite-private-copy.ts';

// Why opening needs space at all: every process opening a WAL database creates its -shm file (32 KiB, written to
// reserve the blocks) and its -wal file when the last one closed removed them, even to only read.
const OPEN_KEPT = 'nothing in it was changed (SQLite needs free space beside a database file to open it, even to read: ' +
  'about 32 KiB for its -shm file, more for its -wal file)';

/**
 * `file` opened with better-sqlite3 (created 0600 first, so SQLite gives -wal/-shm the same mode) and `setUp` run on
 * it (pragmas, schema). A disk failure in any of it (ENOSPC, SQLITE_FULL, SQLITE_IOERR*) throws `StorageFullError`
 * naming the file and the fix; a file or folder it may not write (EROFS, EACCES, EPERM, SQLITE_READONLY*,
 * SQLITE_CANTOPEN) throws `DataDirNotWritableError` naming the file, its owner and the fix. Whatever fails, the
 * connection is closed before the error is thrown. Under a data dir opened read-only (`markReadOnly`), `file` is opened
 * as a private copy in memory instead (`privateCopy`): `setUp` then changes the copy only, and nothing is created.
 *
 * @example
 * const db = openDatabase(layout.archiveDb, (db) => db.pragma('journal_mode = WAL'));
 */
export function openDatabase(file: string, setUp: (db: Database.Database) => void): Database.Database {
  const readOnly = isReadOnlyFile(file);
  try {
    if (file !== ':memory:' && !readOnly) {
      ensureDirSync(dirname(file));
      closeSync(openSync(file, 'a', FILE_MODE));
    }
    const db = readOnly ? privateCopy(file) : new Database(file);
    try {
      setUp(db);
    } catch (error) {
      closeQuietly(db);
      throw error;
    }
    return db;
  } catch (error) {
    const full = asStorageFull(error, `opening ${file}`, file, OPEN_KEPT);
    throw asNotWritable(full, { doing: `opening ${file}`, path: file, dataDir: dirname(file), kept: 'nothing in it was changed' });
  }
}

function closeQuietly(db: Database.Database): void {
  try {
    db.close();
  } catch {
    // The set-up's own error is the one to report; a close failing after it adds nothing an operator can act on.
  }
}
