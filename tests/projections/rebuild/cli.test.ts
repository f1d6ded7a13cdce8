import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerRebuildCommand } from '../../../cli/commands/rebuild.ts';
import { registerVerifyCommand } from '../../../cli/commands/verify.ts';
import type { Projection } from '../../../domain/projection.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { buildLocalScenario, LOCAL_START_S } from '../../support/fakes/local-scenario.ts';

const test = suite('eventlake rebuild / verify commands');
const scenario = await buildLocalScenario({ seed: 5 });

/** Run one command line against the scenario's data dir; returns stdout and the exit code it set. */
async function cli(args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  registerRebuildCommand(program, () => scenario.open());
  registerVerifyCommand(program, () => scenario.open());
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await program.parseAsync(['--data-dir', scenario.dataDir, ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, code };
}

test('--dry-run prints the plan with tiers and costs, and writes nothing', async () => {
  const { out } = await cli(['rebuild', '--projection', 'balances', '--from', '0', '--dry-run', '--json']);
  const plan = JSON.parse(out.trim().split('\n')[0]!).plan;
  assert.equal(plan.tiers.map((t: { storageClass: string }) => t.storageClass), ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE']);
  assert.equal(plan.estimates.map((e: { tier: string }) => e.tier), ['Expedited', 'Standard', 'Bulk']);
  assert.not.ok(existsSync(join(scenario.dataDir, 'restored')) && readdirSync(join(scenario.dataDir, 'restored')).length > 0, 'nothing restored');
  const local = await scenario.open();
  try {
    const archived = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key);
    assert.ok((await local.archive.storage(archived)).every((s) => s.restore === 'NONE'), 'no restore requested');
    assert.is(await local.checkpoints.get(rebuildCheckpointName('balances')), 0);
    assert.is(await local.store.liveGeneration('balances'), 1);
    assert.is(await local.store.createGeneration('balances'), 2, 'no generation was created');
  } finally {
    await local.close();
  }
});

test('verify exits 1 with a per-account diff when the live projection is corrupted', async () => {
  const local = await scenario.open();
  try {
    const bad: Projection = { name: 'balances', version: 1, handles: () => true, related: () => [], decide: () => ({ counters: [{ key: 'ACC-000004', delta: 1n }] }) };
    await local.store.apply(bad, await local.store.liveGeneration('balances'), [{ EventType: 'bad_deploy', SchemaVersion: 1, RequestId: '00000000-0000-4000-8000-0000000000ee', EventTimeStamp: LOCAL_START_S }]);
  } finally {
    await local.close();
  }
  const { out, code } = await cli(['verify', '--projection', 'balances', '--against', 'log']);
  assert.is(code, 1);
  assert.match(out, 'FAILED, 1 difference(s) in 1 account(s)');
  assert.match(out, /account ACC-000004:\n\s+counter: expected -?\d+, got -?\d+/);
});

test('rebuild from a snapshot verifies and promotes; verify then passes on the new live generation', async () => {
  const { out, code } = await cli(['rebuild', '--projection', 'balances', '--from', String(Math.floor(scenario.endOfDay(1) / 1000)), '--restore-tier', 'bulk', '--against', 'log,snapshot']);
  assert.is(code, 0, out);
  assert.match(out, /verify balances generation \d+ against a direct fold of the log .*: passed/);
  assert.match(out, /verify balances generation \d+ against snapshot .*: passed/);
  assert.match(out, /promoted balances generation \d+ \(was 1\)/);
  assert.is((await cli(['verify', '--projection', 'balances'])).code, 0);
});

test.run();
