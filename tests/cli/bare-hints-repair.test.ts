// The local repairs' refusals name the command to run next (repair index, repair catalogue, check, snapshot list) with
// the global options the user gave: `repair index` needs every --schemas to index user types' accounts, and a bare
// command would act on ./.eventlake instead of the data dir that was refused.

import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { SqliteSnapshotStore } from '../../adapters/local/sqlite-snapshot-store.ts';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { rejects } from '../support/async.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('local repair refusals spell their commands with the global options');
const healthyCopy = fixtureCopies(healthyDataDir);

/** `eventlake --data-dir DIR --schemas S` for a new empty schema folder S. */
function lakeOptions(dir: string): string[] {
  const schemas = join(tempDir(), 'schemas');
  mkdirSync(schemas);
  return ['--data-dir', dir, '--schemas', schemas];
}

/** The first hot batch object of `dir` (a file under events/ that is no segment). */
function hotBatchObject(dir: string): string {
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const file = walk(join(dir, 'events')).find((f) => f.endsWith('.ndjson') && !f.includes('segment'));
  assert.ok(file, 'a hot batch object');
  return file;
}

test('repair index of a data dir another process has open names repair index again with the options given', async () => {
  const dir = await healthyCopy();
  const lake = lakeOptions(dir);
  const other = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    const r = await runCli([...lake, 'repair', 'index']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `then run eventlake ${lake.join(' ')} repair index again`);
  } finally {
    other.close();
  }
});

test('repair index of an object that is not whole events names check and repair index with the options given', async () => {
  const dir = await healthyCopy();
  const lake = lakeOptions(dir);
  appendFileSync(hotBatchObject(dir), 'not an event\n');
  const r = await runCli([...lake, 'repair', 'index']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `Run eventlake ${lake.join(' ')} check to see every such object`);
  assert.match(r.stderr, `and run eventlake ${lake.join(' ')} repair index again`);
});

test('repair catalogue of a catalogue SQLite cannot open names repair catalogue again with the options given', async () => {
  const dir = await healthyCopy();
  const lake = lakeOptions(dir);
  writeFileSync(dataDirLayout(dir).logCatalogue, 'this is not a database, but it is long enough to be read as a header of one'.repeat(20));
  const r = await runCli([...lake, 'repair', 'catalogue']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `and run eventlake ${lake.join(' ')} repair catalogue again: it creates a new one`);
});

test('repair catalogue from an index.db SQLite cannot read names repair index with the options given', async () => {
  const dir = await healthyCopy();
  const lake = lakeOptions(dir);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dataDirLayout(dir).indexDb}${suffix}`, { force: true });
  writeFileSync(dataDirLayout(dir).indexDb, 'this is not a database, but it is long enough to be read as a header of one'.repeat(20));
  const r = await runCli([...lake, 'repair', 'catalogue']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `so rebuild index.db first (\`eventlake ${lake.join(' ')} repair index\`, or restore it from a backup)`);
});

test('a snapshot to restore that is gone names snapshot list as the caller spells it', async () => {
  const dataDir = tempDir();
  const store = new SqliteProjectionStore(dataDirLayout(dataDir).projectionsDb);
  try {
    const snapshots = new SqliteSnapshotStore({ dataDir, store });
    const error = await rejects(() => snapshots.restore({ id: '20240101T000000000Z-abcdef', projection: 'balances' } as Parameters<typeof snapshots.restore>[0], 2), InvalidArgumentError);
    const spelled = respelled(error, (...args) => ['eventlake', '--data-dir', dataDir, ...args].join(' ')) as Error;
    assert.match(spelled.message, `(see: eventlake --data-dir ${dataDir} snapshot list)`);
  } finally {
    store.close();
  }
});

test.run();
