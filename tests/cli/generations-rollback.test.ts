// `eventlake generations promote` as a rollback: back to the first generation after a rebuild was promoted, with the
// events it missed; and the refusals that say what exists, or what to do with a generation that fails verification.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('eventlake generations promote (rollback)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });

/** A fresh copy of the scenario's data dir (built once per file). */
async function dataDir(): Promise<string> {
  return (await scenarios()).dataDir;
}

async function cli(dir: string, ...args: string[]): Promise<string> {
  const r = await runCli(['--data-dir', dir, ...args]);
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
}

/** Generation 2 rebuilt and promoted over generation 1, then a deposit generation 1 never saw. */
async function rolledForward(dir: string): Promise<void> {
  await cli(dir, 'rebuild', '--projection', 'balances', '--from', '0');
  const file = join(dir, 'deposit.json');
  writeFileSync(file, JSON.stringify({ ...SAMPLES['cash_deposit']!, TargetAccount: 'DE89-3704-0044', RequestId: '01a21670-3523-7140-b3ff-abf5b4a13111' }));
  await cli(dir, 'emit', file);
}

/** A fresh copy of a data dir rolled forward once per file: the rebuild and the emit are setup, not what is tested. */
const rolledForwardCopy = fixtureCopies(async () => {
  const dir = await dataDir();
  await rolledForward(dir);
  return dir;
});

test('generations promote 1 after a promoted rebuild rolls back to the first generation, topped up with the event it missed', async () => {
  const dir = await rolledForwardCopy();
  const balance = await cli(dir, 'balance', 'DE89-3704-0044', '--json');
  const out = await cli(dir, 'generations', 'promote', '1', '--projection', 'balances');
  assert.match(out, 'promoted balances generation 1 (was 2); 1 event(s) that arrived meanwhile topped up');
  assert.is(await cli(dir, 'balance', 'DE89-3704-0044', '--json'), balance);
  assert.match(await cli(dir, 'status'), /balances\s+1\s/);
});

test('generations promote of a generation that does not exist says so and lists those that exist', async () => {
  const dir = await rolledForwardCopy();
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', '99', '--projection', 'balances']);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'balances has no generation 99; it has 1 (retired), 2 (live)');
});

test('a generation that fails verification is not promoted, and the refusal says to drop it and rebuild', async () => {
  const dir = await dataDir();
  await cli(dir, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote');
  const db = new Database(join(dir, 'projections.db'));
  db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'balances' AND generation = 2").run();
  db.close();
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'generation 2 not promoted: verification failed');
  assert.match(r.stderr, `Drop it (eventlake --data-dir ${dir} generations drop 2 --projection balances) and rebuild (eventlake --data-dir ${dir} rebuild --projection balances --from T)`);
});

test('generations promote of the live generation exits 0 saying there is nothing to promote (a re-run finds it done)', async () => {
  const dir = await rolledForwardCopy();
  const out = await cli(dir, 'generations', 'promote', '2', '--projection', 'balances');
  assert.is(out, 'balances generation 2 is live already: nothing to promote\n');
  assert.match(await cli(dir, 'status'), /balances\s+2\s/);
});

test.run();
