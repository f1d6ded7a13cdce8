// `eventlake generations promote` on an unfinished rebuild: the refusal ends with the commands that fix it as this CLI
// runs them (the global options given included): the rebuild that resumes it and the drop.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../projections/rebuild/promote.ts';
import { runCli } from '../security/cli-run.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';

const test = suite('eventlake generations promote, refused for an unfinished rebuild (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });

/** A data dir copy holding a rebuild from `from` killed after its second batch, and that rebuild's generation. */
async function interruptedRebuild(from: (endOfDay: (d: number) => number) => number): Promise<{ dir: string; generation: number }> {
  const scenario = await scenarios();
  const local = await scenario.open();
  try {
    const coordinator = new RebuildCoordinator(local, local.projections);
    const crash = new Error('killed');
    const plan = await coordinator.plan({ projection: 'balances', from: from(scenario.endOfDay) });
    assert.is(await coordinator.rebuild(plan, { batchSize: 5, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e), crash);
    return { dir: scenario.dataDir, generation: await local.checkpoints.get(rebuildCheckpointName('balances')) };
  } finally {
    await local.close();
  }
}

async function refusal(dir: string, generation: number): Promise<string> {
  const r = await runCli(['--data-dir', dir, 'generations', 'promote', String(generation), '--projection', 'balances']);
  assert.is.not(r.code, 0, 'refused');
  return r.stderr;
}

test('the refusal names the rebuild to run again and the drop with --data-dir, and no --snapshot option', async () => {
  const { dir, generation } = await interruptedRebuild(() => 0);
  const stderr = await refusal(dir, generation);
  assert.match(stderr, `Run the rebuild that started it again (eventlake --data-dir ${dir} rebuild --projection balances --from 0): it resumes and finishes it`);
  assert.match(stderr, `or drop it (eventlake --data-dir ${dir} generations drop ${generation} --projection balances)`);
  assert.not.match(stderr, '--snapshot');
});

test('for a rebuild from a snapshot, the rebuild the refusal names resumes that generation', async () => {
  const { dir, generation } = await interruptedRebuild((endOfDay) => endOfDay(0) + 3_600_000);
  const named = /Run the rebuild that started it again \(eventlake (.*?)\): it resumes/.exec(await refusal(dir, generation));
  assert.ok(named, 'a rebuild is named');
  const r = await runCli([...named[1]!.split(' '), '--no-promote', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rebuilt = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rebuild?: { generation: number; resumed: boolean } }).find((l) => l.rebuild)!.rebuild!;
  assert.equal([rebuilt.generation, rebuilt.resumed], [generation, true]);
});

test.run();
