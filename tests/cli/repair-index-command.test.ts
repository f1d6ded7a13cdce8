// `eventlake repair index`: a data dir that lost index.db gets it back from its objects, says what it read and which
// stored positions it dealt with; --json for scripts; a data dir in use, or a path that is not one, is refused.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IndexRepairReport } from '../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { corruptIndex, indexRows, loseIndex } from '../support/index-repair-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake repair index (CLI)');
/** A fresh copy of a healthy data dir, built once per file (emitting it is most of the cost). */
const healthyCopy = fixtureCopies(healthyDataDir);

test('a lost index.db is rebuilt: the lines say what was read, where positions stand, and what was reset', async () => {
  const dir = await healthyCopy();
  const rows = indexRows(dir);
  loseIndex(dir);
  const r = await runCli(['--data-dir', dir, 'repair', 'index']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `${dir}: index.db rebuilt from the objects`);
  assert.match(r.stdout, /objects read: \d+ hot, 0 restored, [1-9]\d* archived/);
  assert.match(r.stdout, `events: ${rows.length} indexed`);
  assert.match(r.stdout, 'positions: unknown (no readable old index to compare with)');
  assert.match(r.stdout, /dispatch checkpoint dispatch: \d+ -> \d+ \(the archived events count as dispatched/);
  assert.equal(indexRows(dir), rows);
  const check = await runCli(['--data-dir', dir, 'check']);
  assert.is(check.code, 0, check.stdout);
});

test('--json prints the report as one JSON object; a damaged index.db is kept aside where it says', async () => {
  const dir = await healthyCopy();
  corruptIndex(dir);
  const r = await runCli(['--data-dir', dir, 'repair', 'index', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as IndexRepairReport;
  assert.equal([report.replaced, report.positions], [true, 'unknown']);
  assert.match(report.oldIndexKeptAt!, `${dataDirLayout(dir).indexDb}.damaged-`);
  assert.ok(existsSync(report.oldIndexKeptAt!));
});

test('run again, it says nothing changed', async () => {
  const dir = await healthyCopy();
  loseIndex(dir);
  assert.is((await runCli(['--data-dir', dir, 'repair', 'index'])).code, 0);
  const again = await runCli(['--data-dir', dir, 'repair', 'index']);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, 'index.db already matches the objects: nothing changed');
  assert.match(again.stdout, 'positions: unchanged');
});

test('a data dir another process has open is refused, naming what to stop, and nothing changes', async () => {
  const dir = await healthyCopy();
  const rows = indexRows(dir);
  const other = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    const r = await runCli(['--data-dir', dir, 'repair', 'index']);
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /TRANSIENT: dataDir: .*index\.db is in use by another process.*stop every process using the data dir first/);
  } finally {
    other.close();
  }
  assert.equal(indexRows(dir), rows);
});

test('a path that is not a data dir is refused with the field and the fix, and not created', async () => {
  const parent = tempDir();
  const missing = join(parent, 'not-a-data-dir');
  const r = await runCli(['--data-dir', missing, 'repair', 'index']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /INVALID_ARGUMENT: dataDir: .*not-a-data-dir is not a folder; point --data-dir/);
  assert.not.ok(existsSync(missing));
  const empty = await runCli(['--data-dir', parent, 'repair', 'index']);
  assert.match(empty.stderr, 'is not an eventlake data dir');
  assert.equal(readdirSync(parent), []);
});

test('the help names the subcommand and says every process must be stopped first', async () => {
  const r = await runCli(['repair', 'index', '--help']);
  // Help text wraps at the terminal width: compare it as one line.
  assert.match((r.stdout + r.stderr).replace(/\s+/g, ' '), 'eventlake repair index [options] rebuild index.db from the objects on disk');
  assert.match((r.stdout + r.stderr).replace(/\s+/g, ' '), 'stop every process using the data dir first');
});

test.run();
