// Commands that write refuse a data dir that holds events but lost index.db, as read commands do, and create nothing:
// `emit` used to make a new index.db from the ingest journal, which misses every event compaction moved, and the new
// event sat below the dispatch checkpoint, never applied. `check` names the same fix instead of "not a data dir".

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir, listing } from '../support/check-data-dir.ts';
import { loseIndex } from '../support/index-repair-data-dir.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('write commands and check on a data dir that lost index.db (CLI)');

/** A fresh copy of a healthy data dir that lost index.db, built once per file (emitting it is most of the cost). */
const lostIndexCopy = fixtureCopies(async () => {
  const dir = await healthyDataDir();
  loseIndex(dir);
  return dir;
});

/** An NDJSON file of one valid event. */
function eventFile(): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, JSON.stringify(SAMPLES['cash_deposit']));
  return file;
}

test('emit on a data dir without index.db exits 1 with INDEX_LOST naming repair index; nothing is created or changed', async () => {
  const dir = await lostIndexCopy();
  const before = listing(dir);
  const r = await runCli(['--data-dir', dir, 'emit', eventFile()]);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, `eventlake: INDEX_LOST: dataDir: ${dir} holds stored events`);
  assert.match(r.stderr, `eventlake --data-dir ${dir} repair index`);
  assert.is(r.stdout, '');
  assert.equal(listing(dir), before);
});

test('every other command that writes refuses such a data dir the same way, and makes no index.db', async () => {
  const dir = await lostIndexCopy();
  for (const args of [['snapshot', 'take'], ['archive', 'run'], ['rebuild', '--projection', 'balances', '--from', '0'], ['run']]) {
    const r = await runCli(['--data-dir', dir, ...args]);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, `INDEX_LOST: dataDir: ${dir}`, args.join(' '));
    assert.not.ok(existsSync(dataDirLayout(dir).indexDb), `${args.join(' ')} made an index.db`);
  }
});

test('check on a data dir without index.db could not check (exit 2) and names repair index, not another path', async () => {
  const dir = await lostIndexCopy();
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, 2, r.stdout);
  assert.match(r.stderr, `INDEX_LOST: dataDir: ${dir}`);
  assert.match(r.stderr, `eventlake --data-dir ${dir} repair index`);
  assert.not.match(r.stderr, 'point --data-dir');
});

test('after repair index, emit stores the event and check finds the data dir whole', async () => {
  const dir = await lostIndexCopy();
  assert.is((await runCli(['--data-dir', dir, 'repair', 'index'])).code, 0);
  const emitted = await runCli(['--data-dir', dir, 'emit', eventFile()]);
  assert.is(emitted.code, 0, emitted.stderr);
  const check = await runCli(['--data-dir', dir, 'check']);
  assert.is(check.code, 0, check.stdout);
});

test.run();
