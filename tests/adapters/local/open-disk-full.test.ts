// Opening the data dir's SQLite files on a full disk: StorageFullError naming the file and the fix (it was
// "unexpected error: SqliteError: disk I/O error" + stack, exit 3, even for status).

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsArchiveTier } from '../../../adapters/local/fs-archive-tier.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { runCli } from '../../security/cli-run.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('opening on a full disk');

/**
 * Run `fn` while switching a database file to WAL fails as it does when its -shm file cannot get its 32 KiB: SQLite
 * answers SQLITE_IOERR_SHMSIZE ("disk I/O error"), on every open, even of a file already in WAL mode.
 */
async function withFullDisk<T>(fn: () => Promise<T> | T): Promise<T> {
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
    if (/^journal_mode\s*=\s*WAL$/i.test(source)) throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_SHMSIZE');
    return pragma.call(this, source, options);
  };
  try {
    return await fn();
  } finally {
    Database.prototype.pragma = pragma;
  }
}

/** The StorageFullError opening `file` with `open` throws on a full disk, after its checks of the message. */
async function refusal(file: string, open: () => unknown): Promise<StorageFullError> {
  const error = await withFullDisk(() => rejects(async () => open(), StorageFullError));
  assert.is(error.where, file);
  assert.match(error.message, `opening ${file} failed: no space left (SQLITE_IOERR_SHMSIZE) on the disk holding ${file}`);
  assert.match(error.message, /Free space on that disk \(or fix the device\), then run the same operation again$/);
  return error;
}

test('opening dispatch.db (openSqlite) throws StorageFullError naming the file, what was kept and the fix', async () => {
  const file = dataDirLayout(tempDir()).dispatchDb;
  const error = await refusal(file, () => new SqliteCheckpointStore(file));
  assert.match(error.message, 'nothing in it was changed (SQLite needs free space beside a database file to open it, even to read');
});

test('opening index.db throws StorageFullError naming the file', async () => {
  const file = dataDirLayout(tempDir()).indexDb;
  await refusal(file, () => new SqliteEventIndex(file));
});

test('opening the log catalogue throws StorageFullError naming the file', async () => {
  const file = join(tempDir(), 'catalogue.db');
  await refusal(file, () => new SqliteLogCatalogue(file));
});

test('opening archive.db throws StorageFullError naming the file', async () => {
  const dir = tempDir();
  await refusal(dataDirLayout(dir).archiveDb, () => new FsArchiveTier({ dataDir: dir }));
});

test('status on a data dir whose disk is full ends with STORAGE_FULL naming the file, exit 1, no stack', async () => {
  const dir = tempDir();
  const local = await openLocalEventlake({ dataDir: dir });
  await local.lake.emit([SAMPLES.cash_deposit!]);
  await local.close();
  const r = await withFullDisk(() => runCli(['--data-dir', dir, 'status']));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: opening \S+\.db failed: .* Free space on that disk/);
  assert.not.match(r.stderr, /unexpected error|\n\s+at /);
});

test.run();
