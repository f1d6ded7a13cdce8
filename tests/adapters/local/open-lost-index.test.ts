// openLocalEventlake refuses a data dir that holds events but lost index.db, creating nothing: a new index.db made
// from the ingest journal would miss every event compaction moved, and a new event would sit below the dispatch
// checkpoint. A new path, a data dir never written, and one repaired by `repair index` open as before.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { segmentStart } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { IndexLostError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { healthyDataDir, listing } from '../../support/check-data-dir.ts';
import { emittedDataDir, withDataDir } from '../../support/emitted-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { emptyDataDir } from '../../support/empty-data-dir.ts';
import { loseIndex } from '../../support/index-repair-data-dir.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('openLocalEventlake on a data dir that lost index.db');
/** A copy per test of one healthy data dir, built once for the file. */
const healthy = fixtureCopies(healthyDataDir);

test('a data dir whose events were compacted, without index.db, is refused naming the data dir and repair index', async () => {
  const dir = await healthy();
  loseIndex(dir);
  const error = await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
  assert.equal([error.code, error.dataDir], ['INDEX_LOST', dir]);
  assert.match(error.message, `dataDir: ${dir} holds stored events`);
  assert.match(error.message, `eventlake --data-dir ${dir} repair index`);
});

test('the refusal creates nothing: no index.db, and the journal and every other file unchanged', async () => {
  const dir = await healthy();
  loseIndex(dir);
  const before = listing(dir);
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
  assert.not.ok(existsSync(dataDirLayout(dir).indexDb));
  assert.equal(listing(dir), before);
});

test('one event written, never compacted, is enough to refuse a data dir without index.db', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
});

test('a data dir without index.db and without its catalogue is refused as well, when its journal holds events', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  const { logCatalogue } = dataDirLayout(dir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${logCatalogue}${suffix}`, { force: true });
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
});

test('a data dir whose journal segments were all deleted (its materialized marker left) is refused without index.db', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  const { journalDir } = dataDirLayout(dir);
  for (const name of readdirSync(journalDir)) if (segmentStart(name) !== undefined) rmSync(join(journalDir, name));
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
});

test('a data dir whose journal folder was deleted and made again, empty, is refused without index.db: its event objects hold events', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  const { journalDir } = dataDirLayout(dir);
  rmSync(journalDir, { recursive: true });
  mkdirSync(journalDir);
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
});

test('a data dir whose index.db was emptied (0 bytes, as a failed copy leaves it) is refused as one that lost it, and repair index mends it', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  writeFileSync(dataDirLayout(dir).indexDb, '');
  await rejects(() => openLocalEventlake({ dataDir: dir }), IndexLostError);
  await repairIndex(dir);
  assert.is(await withDataDir(dir, (local) => local.lake.balance('DE44-5001-0517')), '123.45');
});

test('a folder whose events/ holds files outside hour partitions is not taken for a data dir that lost index.db', async () => {
  const dir = join(tempDir(), 'app');
  mkdirSync(join(dir, 'events', '2024'), { recursive: true });
  writeFileSync(join(dir, 'events', '2024', 'signup.json'), '{}');
  await withDataDir(dir, async () => undefined);
  assert.ok(existsSync(dataDirLayout(dir).indexDb));
});

test('a data dir opened but never written opens without index.db, and makes a new one (there is nothing to lose)', async () => {
  const dir = await emptyDataDir();
  loseIndex(dir);
  assert.ok(existsSync(dataDirLayout(dir).logCatalogue), 'the fixture keeps its catalogue');
  assert.is(await withDataDir(dir, async (local) => (await local.lake.balances()).size), 0);
  assert.ok(existsSync(dataDirLayout(dir).indexDb));
});

test('a path where nothing is yet opens as a new data dir', async () => {
  const dir = join(tempDir(), 'new-lake');
  await withDataDir(dir, (local) => local.lake.emit([SAMPLES['cash_deposit']!]));
  assert.ok(existsSync(dataDirLayout(dir).indexDb));
});

test('after repair index the data dir opens, and an event emitted then is applied to its balance', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  loseIndex(dir);
  await repairIndex(dir);
  const balance = await withDataDir(dir, async (local) => {
    await local.lake.emit([SAMPLES['incoming_payment']!]);
    return local.lake.balance('DE44-5001-0517');
  });
  assert.is(balance, '246.90');
});

test.run();
