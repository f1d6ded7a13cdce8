// `eventlake status`, `generations list` and `generations promote` on the rules a generation was built with: a data
// dir rebuilt with an extensions module's rule, then opened without it, runs other rules than its generations hold.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';
import { once } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('generations built with other rules (CLI)');

/** A module replacing the built-in incoming_payment rule: an incoming payment credits twice its amount (one file per
 * test file: every test runs the same rules). */
const changedRulesFile = once(async () => {
  const file = join(tempDir(), 'doubled.extensions.mjs');
  writeFileSync(file, `export const balanceRules = { incoming_payment: { decide: (e) => ({ counters: [{ key: String(e.TargetAccount), delta: 2n * BigInt(String(e.Amount).replace('.', '')) }] }) } };\n`);
  return file;
});
const changedRules = async (): Promise<string[]> => ['--extensions', await changedRulesFile()];

async function cli(dir: string, ...args: string[]) {
  const r = await runCli(['--data-dir', dir, ...args]);
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
}

// The scenarios are built (and rebuilt) once per file; each test gets a copy of its own to read or change.
const smallLake = localScenarioCopies({ days: 1, eventsPerDay: 5 });
const twoDays = localScenarioCopies({ days: 2, eventsPerDay: 20 });
const rebuilt = new Map(['', '--no-promote'].map((flag) => [flag, fixtureCopies(async () => {
  const dir = (await twoDays()).dataDir;
  await cli(dir, ...(await changedRules()), 'rebuild', '--projection', 'balances', '--from', '0', ...(flag === '' ? [] : [flag]));
  return dir;
})]));

/** A copy of a small data dir whose balances were rebuilt (`--no-promote`: kept) with the changed rule. */
const rebuiltWithChangedRules = (flag: '' | '--no-promote' = ''): Promise<string> => rebuilt.get(flag)!();

const WARNING = /balances live generation 2 was built with other rules \(balances v1 [0-9a-f]{12}\) than the running code's \(balances v1 [0-9a-f]{12}\): rebuild to apply them to past events/;

test('status of a lake no rebuild wrote shows the rules that folded its first events for its first generation, and flags nothing', async () => {
  const out = await cli((await smallLake()).dataDir, 'status');
  const [, running, live] = /^balances +(balances v1 [0-9a-f]{12}) +generation 1: (.*)$/m.exec(out) ?? [];
  assert.is(live, running);
  assert.not.match(out, 'built with other rules');
});

test('status of a lake whose first events were folded with other rules flags its first generation', async () => {
  const dir = (await smallLake()).dataDir;
  assert.match(await cli(dir, ...(await changedRules()), 'status'), /balances live generation 1 was built with other rules/);
});

test('status flags a live generation built with other rules than the running code\'s, and says to rebuild', async () => {
  const dir = await rebuiltWithChangedRules();
  assert.match(await cli(dir, 'status'), WARNING);
  const json = JSON.parse(await cli(dir, 'status', '--json')) as { projections: { name: string; rules: { match: string } }[] };
  assert.is(json.projections.find((p) => p.name === 'balances')?.rules.match, 'other');
});

test('status run with the rules that built the live generation flags nothing', async () => {
  const dir = await rebuiltWithChangedRules();
  await cli(dir, ...(await changedRules()), 'rebuild', '--projection', 'statement', '--from', '0');
  assert.not.match(await cli(dir, ...(await changedRules()), 'status'), 'built with other rules');
});

test('status flags a first generation no rebuild replaced when the rules changed since it folded its events', async () => {
  const dir = await rebuiltWithChangedRules();
  const out = await cli(dir, ...(await changedRules()), 'status');
  assert.match(out, /statement live generation 1 was built with other rules/);
  assert.not.match(out, /balances live generation/);
});

test('generations list shows the rules that built each kept generation, marked when they are not the running code\'s', async () => {
  const dir = await rebuiltWithChangedRules('--no-promote');
  assert.match(await cli(dir, 'generations', 'list', '--projection', 'balances'), /^balances +2 +finished +empty +\d+ +balances v1 [0-9a-f]{12} \(other rules than the running code's\)$/m);
  const [row] = (await cli(dir, 'generations', 'list', '--projection', 'balances', '--json')).trim().split('\n').map((l) => JSON.parse(l) as { rules: string; rulesMatch: string });
  assert.match(row!.rules, /^balances v1 [0-9a-f]{12}$/);
  assert.is(row!.rulesMatch, 'other');
});

test('generations list flags a live generation built with other rules', async () => {
  assert.match(await cli(await rebuiltWithChangedRules(), 'generations', 'list', '--projection', 'balances'), WARNING);
});

test('generations promote of a kept generation built with other rules is refused with GENERATION_RULES_CHANGED; the live one stays', async () => {
  const dir = await rebuiltWithChangedRules('--no-promote');
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /GENERATION_RULES_CHANGED: balances generation 2 was built with the rules balances v1 [0-9a-f]{12}, not the running code's balances v1 [0-9a-f]{12}/);
  assert.match(r.stderr, 'run eventlake with the rules that built it');
  const json = JSON.parse(await cli(dir, 'status', '--json')) as { projections: { name: string; liveGeneration: number }[] };
  assert.is(json.projections.find((p) => p.name === 'balances')?.liveGeneration, 1);
});

test.run();
