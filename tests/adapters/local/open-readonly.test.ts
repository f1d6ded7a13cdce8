// Opening a data dir this process cannot write (a read-only file system, another user's files): one typed error,
// DataDirNotWritableError, naming the path, the errno, the owners and the fix, with nothing created or changed (it
// was a raw EROFS/EACCES/SQLITE_READONLY with a stack, exit 3, for every command but check/validate).

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { openDatabase } from '../../../adapters/local/sqlite-open.ts';
import { DataDirNotWritableError } from '../../../domain/errors.ts';
import { runCli } from '../../security/cli-run.ts';
import { rejects } from '../../support/async.ts';
import { emittedDataDir } from '../../support/emitted-data-dir.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { failFs, fakeUids, snapshotOf } from './open-readonly-faults.ts';

const test = suite('opening a read-only data dir');

const FIX = /To write: copy the data dir to a writable place \(cp -a\) and point --data-dir there.*\. Reads need none of it: eventlake status, balance, events and query read such a data dir read-only as it is on disk, and eventlake check works read-only$/;

async function refused(open: () => unknown, ...undo: (() => void)[]): Promise<DataDirNotWritableError> {
  try {
    return await rejects(async () => open(), DataDirNotWritableError);
  } finally {
    for (const u of undo) u();
  }
}

test('a database file on a read-only file system (EROFS) is refused naming the file, and is not created', async () => {
  const dir = tempDir();
  const file = join(dir, 'dispatch.db');
  const error = await refused(() => openDatabase(file, () => undefined), failFs('openSync', 'EROFS', (p) => p === file));
  assert.is(error.code, 'DATA_DIR_NOT_WRITABLE');
  assert.is(error.details.path, file);
  assert.match(error.message, `opening ${file} failed: ${file} cannot be written (EROFS: the file system is read-only)`);
  assert.match(error.message, FIX);
  assert.equal(readdirSync(dir), []);
});

test('a database SQLite cannot write (SQLITE_READONLY) is refused as DataDirNotWritableError naming the file', async () => {
  const file = join(tempDir(), 'index.db');
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = () => { throw new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY'); };
  const error = await refused(() => openDatabase(file, (db) => db.pragma('journal_mode = WAL')), () => { Database.prototype.pragma = pragma; });
  assert.is(error.details.errno, 'SQLITE_READONLY');
  assert.match(error.message, `${file} cannot be written (SQLITE_READONLY)`);
});

test('a data dir whose index.db another user owns is refused at open naming both uids and the fix, changing nothing', async () => {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!]);
  const { indexDb } = dataDirLayout(dir);
  const before = snapshotOf(dir);
  const error = await refused(() => openLocalEventlake({ dataDir: dir }),
    failFs('accessSync', 'EACCES', (p) => p === indexDb), fakeUids(1000, (p) => (p === indexDb ? 0 : 1000)));
  assert.match(error.message, `${indexDb} cannot be written (EACCES: it belongs to uid 0 and eventlake runs as uid 1000); nothing was created or changed`);
  assert.match(error.message, `give its files back to their owner as root (chown -R 1000 ${dataDirLayout(dir).root})`);
  assert.equal(snapshotOf(dir), before);
});

test('a data dir on a read-only file system is refused at open and nothing is created in it', async () => {
  const dir = tempDir();
  const error = await refused(() => openLocalEventlake({ dataDir: dir }), failFs('accessSync', 'EROFS', (p) => p === dir));
  assert.is(error.details.errno, 'EROFS');
  assert.match(error.message, FIX);
  assert.equal(readdirSync(dir), []);
});

test('a data dir run by a user who may not write it (EACCES) names the owner to run as', async () => {
  const dir = tempDir();
  const error = await refused(() => openLocalEventlake({ dataDir: dir }), failFs('accessSync', 'EACCES', (p) => p === dir), fakeUids(1000, () => 0));
  assert.match(error.message, `(EACCES: it belongs to uid 0 and eventlake runs as uid 1000)`);
  assert.match(error.message, `or run as the data dir's owner (uid 0)`);
});

test('a data dir its own user may not write (chmod -R a-w) names the mode and chmod as the fix, not another owner', async () => {
  const dir = tempDir();
  const error = await refused(() => openLocalEventlake({ dataDir: dir }), failFs('accessSync', 'EACCES', (p) => p === dir), fakeUids(1000, () => 1000));
  assert.match(error.message, `(EACCES: uid 1000 owns it, but its mode refuses it)`);
  assert.match(error.message, `or give its owner access again (chmod -R u+rwX ${dir})`);
  assert.not.match(error.message, 'run as');
});

test('emit on a read-only data dir ends with DATA_DIR_NOT_WRITABLE, exit 1, no stack, check spelled with --data-dir', async () => {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!]);
  const input = join(tempDir(), 'event.json');
  writeFileSync(input, JSON.stringify(SAMPLES.cash_withdrawal));
  const undo = failFs('accessSync', 'EROFS', (p) => p.startsWith(dir));
  const r = await runCli(['--data-dir', dir, 'emit', input]).finally(undo);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /\neventlake: DATA_DIR_NOT_WRITABLE: opening the data dir \S+ failed: .* \(EROFS: the file system is read-only\)/);
  assert.match(r.stderr, `eventlake --data-dir ${dir} check works read-only`);
  assert.not.match(r.stderr, /unexpected error|\n\s+at /);
});

test.run();
