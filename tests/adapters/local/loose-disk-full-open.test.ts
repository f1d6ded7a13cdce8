// openLocalEventlake on a full disk: when a later database cannot be opened (projections.db, say), those it opened
// already are closed before the StorageFullError reaches the caller, and a close whose log checkpoint fails closes
// the databases all the same (both left them open for the process's life).

import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LogCheckpoints } from '../../../adapters/local/log-checkpoints.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { enospc } from './append-disk-full-faults.ts';

const test = suite('openLocalEventlake on a full disk');

test('a database that cannot be opened closes the databases opened before it', async () => {
  const dataDir = tempDir();
  const first = await openLocalEventlake({ dataDir });
  await first.lake.emit([SAMPLES.cash_deposit!]);
  await first.close();
  const layout = dataDirLayout(dataDir);
  const { pragma, close } = Database.prototype;
  const closed: string[] = [];
  // projections.db's -shm file cannot get its space (SQLITE_IOERR_SHMSIZE), as on a full disk; the others open.
  Database.prototype.pragma = function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
    if (this.name === layout.projectionsDb && /^journal_mode\s*=\s*WAL$/i.test(source)) throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_SHMSIZE');
    return pragma.call(this, source, options);
  };
  Database.prototype.close = function (this: Database.Database) {
    closed.push(this.name);
    return close.call(this);
  };
  try {
    const error = await rejects(() => openLocalEventlake({ dataDir }), StorageFullError);
    assert.is(error.where, layout.projectionsDb);
  } finally {
    Database.prototype.pragma = pragma;
    Database.prototype.close = close;
  }
  assert.ok(closed.includes(layout.indexDb), `index.db closed (closed: ${closed.join(', ')})`);
  assert.ok(closed.includes(layout.logCatalogue), 'the log catalogue closed');
});

test('a close whose log checkpoint fails on a full disk closes every database and then throws STORAGE_FULL', async () => {
  const dataDir = tempDir();
  const layout = dataDirLayout(dataDir);
  const local = await openLocalEventlake({ dataDir });
  await local.lake.emit([SAMPLES.cash_deposit!]);
  const { close } = Database.prototype;
  const run = LogCheckpoints.prototype.run;
  const closed: string[] = [];
  LogCheckpoints.prototype.run = () => Promise.reject(enospc('write'));
  Database.prototype.close = function (this: Database.Database) {
    closed.push(this.name);
    return close.call(this);
  };
  try {
    await rejects(() => local.close(), StorageFullError);
  } finally {
    LogCheckpoints.prototype.run = run;
    Database.prototype.close = close;
  }
  for (const file of [layout.indexDb, layout.projectionsDb, layout.dispatchDb, layout.archiveDb, layout.logCatalogue]) {
    assert.ok(closed.includes(file), `${file} closed (closed: ${closed.join(', ')})`);
  }
});

test.run();
