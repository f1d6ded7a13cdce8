// `eventlake generations list|promote|drop`, `eventlake status` and `rebuild --no-promote` on kept generations: a
// rebuild kept unpromoted stays (the next rebuild builds beside it, unless it promotes the same plan: then it tops the
// kept one up), operators see it, promote it, and only they drop it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';

const test = suite('eventlake generations (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });

/** A small data dir (archived days included), a fresh copy per test. */
async function dataDir(): Promise<string> {
  return (await scenarios()).dataDir;
}

async function cli(dir: string, ...args: string[]) {
  const r = await runCli(['--data-dir', dir, ...args]);
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
}

const keep = (dir: string) => cli(dir, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote');

/** A copy of the data dir after `keep` ran on it once: generation 2 finished and kept beside the live 1. */
const keptOnce = fixtureCopies(async () => {
  const dir = await dataDir();
  await keep(dir);
  return dir;
});

/** A copy of the data dir after a rebuild of a historical view (--until): generation 2, finished, never promoted. */
const untilKept = fixtureCopies(async () => {
  const dir = await dataDir();
  await cli(dir, 'rebuild', '--projection', 'balances', '--from', '0', '--until', '2025-01-07T00:00:00Z');
  return dir;
});

test('rebuild --no-promote says the generation is kept, that no rebuild drops it, and how to verify and drop it', async () => {
  const dir = await dataDir();
  const out = await keep(dir);
  assert.match(out, 'not promoted: generation 2 is kept for inspection (no rebuild drops it: ');
  assert.match(out, `eventlake --data-dir ${dir} verify --projection balances --generation 2`);
  assert.match(out, `eventlake --data-dir ${dir} generations promote 2 --projection balances`);
  assert.match(out, `eventlake --data-dir ${dir} generations drop 2 --projection balances`);
});

test('after a second rebuild, generations list shows both kept generations as finished', async () => {
  const dir = await keptOnce();
  await keep(dir);
  const rows = (await cli(dir, 'generations', 'list', '--projection', 'balances', '--json')).trim().split('\n').map((l) => JSON.parse(l) as { generation: number; state: string });
  assert.equal(rows.map((r) => [r.generation, r.state]), [[2, 'finished'], [3, 'finished']]);
});

test('a rebuild that promotes after rebuild --no-promote of the same plan tops up and promotes the kept generation instead of replaying into a new one', async () => {
  const dir = await keptOnce();
  const out = await cli(dir, 'rebuild', '--projection', 'balances', '--from', '0', '--json');
  const rebuilt = out.trim().split('\n').map((l) => JSON.parse(l) as { rebuild?: { generation: number; resumed: boolean } }).find((l) => l.rebuild)!.rebuild!;
  assert.equal([rebuilt.generation, rebuilt.resumed], [2, true]);
  assert.is((await cli(dir, 'generations', 'list', '--projection', 'balances', '--json')).trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { generation: number }).generation).includes(3), false);
});

test('status prints the generations beside the live one, with their state, and says how to free one', async () => {
  const dir = await keptOnce();
  const out = await cli(dir, 'status');
  assert.match(out, `generations beside the live ones (finished: kept by a rebuild; \`eventlake --data-dir ${dir} generations drop N --projection P\` frees one):`);
  assert.match(out, /^balances +2 +finished +empty +\d+$/m);
  const json = JSON.parse(await cli(dir, 'status', '--json')) as { projections: { name: string; otherGenerations: { generation: number; state: string }[] }[] };
  assert.equal(json.projections.find((p) => p.name === 'balances')?.otherGenerations.map((g) => [g.generation, g.state]), [[2, 'finished']]);
});

test('status prints no generations block when only live generations exist', async () => {
  const out = await cli(await dataDir(), 'status');
  assert.not.match(out, 'generations beside the live ones');
});

test('generations drop frees a kept generation, and the listing no longer shows it', async () => {
  const dir = await keptOnce();
  assert.is(await cli(dir, 'generations', 'drop', '2', '--projection', 'balances'), 'dropped balances generation 2 (finished)\n');
  assert.is(await cli(dir, 'generations', 'list', '--projection', 'balances'), '(none)\n');
});

test('generations drop of the live generation fails with its code and the fix, and changes nothing', async () => {
  const dir = await dataDir();
  const r = await runCli(['--data-dir', dir, 'generations', 'drop', '1', '--projection', 'balances']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, 'LIVE_GENERATION_NOT_DROPPED');
  assert.match(r.stderr, 'promote another generation first');
  assert.match(await cli(dir, 'verify', '--projection', 'balances'), /verify balances generation 1 .*: passed/);
});

test('generations promote verifies a kept generation and makes it live, after another rebuild ran', async () => {
  const dir = await keptOnce();
  await keep(dir);
  const out = await cli(dir, 'generations', 'promote', '2', '--projection', 'balances');
  assert.match(out, /verify balances generation 2 against .*: passed/);
  assert.match(out, 'promoted balances generation 2 (was 1)');
  const rows = (await cli(dir, 'generations', 'list', '--projection', 'balances', '--json')).trim().split('\n').map((l) => JSON.parse(l) as { generation: number; state: string });
  assert.equal(rows.map((r) => [r.generation, r.state]), [[1, 'retired'], [3, 'finished']]);
});

test('generations promote refuses a historical view (--until): it stays kept and the live generation stays', async () => {
  const dir = await untilKept();
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, 'it is never promoted');
  assert.match(await cli(dir, 'generations', 'list', '--projection', 'balances'), /^balances +2 +finished +empty +2025-01-07T00:00:00.000Z/m);
});

test('generations promote refuses a historical view before verifying it: a verification reads the log, restoring archived objects', async () => {
  const dir = await untilKept();
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.match(r.stderr, 'it is never promoted');
  assert.not.match(r.stdout, 'verify balances generation 2');
});

test.run();
