// snapshot take on a full disk: a snapshot that cannot be written leaves nothing (no data file, sidecar or temp file)
// and is a StorageFullError; `snapshot take` names the snapshots taken before it and the command that takes the rest.

import fsp from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../../adapters/local/sqlite-snapshot-store.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { runCli } from '../../security/cli-run.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('snapshot take on a full disk');

/** Run `fn` while SQLite cannot grow the snapshot file of `projection`: copying its tables answers SQLITE_FULL. */
async function withSnapshotFileFull<T>(projection: string, fn: () => Promise<T>): Promise<T> {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Database.Statement;
  const { run } = statement;
  statement.run = function (this: Database.Statement, ...params: unknown[]) {
    if (this.source.startsWith('CREATE TABLE snap.') && params[0] === projection) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return run.apply(this, params);
  };
  try {
    return await fn();
  } finally {
    statement.run = run;
  }
}

/** Run `fn` while writing a file (the sidecar) fails with ENOSPC. */
async function withWriteFileFull<T>(fn: () => Promise<T>): Promise<T> {
  const { writeFile } = fsp;
  fsp.writeFile = (async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); }) as typeof fsp.writeFile;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    fsp.writeFile = writeFile;
    syncBuiltinESMExports();
  }
}

function stores() {
  const dataDir = tempDir();
  const store = new SqliteProjectionStore(join(dataDir, 'projections.db'));
  return { dataDir, store, snapshots: new SqliteSnapshotStore({ dataDir, store }), dir: join(dataDir, 'snapshots', 'balances') };
}

test('a snapshot whose copy cannot grow its file is a StorageFullError naming the folder and leaves nothing in it', async () => {
  const { store, snapshots, dir } = stores();
  try {
    const error = await withSnapshotFileFull('balances', () => rejects(() => snapshots.take('balances', 1, 0), StorageFullError));
    assert.is(error.where, dir);
    assert.match(error.message, `taking a snapshot of balances failed: no space left (SQLITE_FULL) on the disk holding ${dir}; nothing of this snapshot was kept. Free space`);
    assert.equal([readdirSync(dir), await snapshots.list('balances')], [[], []]);
  } finally {
    store.close();
  }
});

test('a snapshot whose sidecar cannot be written leaves no data file behind (it would be an unlisted leftover)', async () => {
  const { store, snapshots, dir } = stores();
  try {
    const error = await withWriteFileFull(() => rejects(() => snapshots.take('balances', 1, 0), StorageFullError));
    assert.match(error.message, 'failed: no space left (ENOSPC)');
    assert.equal(readdirSync(dir), []);
  } finally {
    store.close();
  }
});

test('snapshot take failing on its second projection names the snapshot taken before it and the command that takes the rest, exit 1', async () => {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir });
  await local.lake.emit([SAMPLES.cash_deposit!]);
  await local.close();
  const r = await withSnapshotFileFull('statement', () => runCli(['--data-dir', dataDir, 'snapshot', 'take']));
  assert.is(r.code, 1, r.stdout + r.stderr);
  const [balances] = readdirSync(join(dataDir, 'snapshots', 'balances')).filter((n) => n.endsWith('.json'));
  assert.ok(balances, 'the balances snapshot is kept');
  assert.match(r.stderr, /^eventlake: STORAGE_FULL: taking a snapshot of statement failed: no space left \(SQLITE_FULL\)/);
  assert.match(r.stderr, `. The snapshots taken before it are kept (balances ${balances!.replace(/\.json$/, '')}); take the others with: eventlake --data-dir ${dataDir} snapshot take --projection statement`);
  assert.equal(readdirSync(join(dataDir, 'snapshots', 'statement')), []);
});

test.run();
