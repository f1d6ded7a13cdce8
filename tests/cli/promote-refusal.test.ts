// `eventlake generations promote` on an unfinished rebuild: the refusal ends with the commands that fix it as this CLI
// runs them (the global options given included): the rebuild that resumes it and the drop.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../projections/rebuild/promote.ts';
import { runCli } from '../security/cli-run.ts';
import { LOCAL_START_S } from '../support/fakes/local-scenario.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';

const test = suite('eventlake generations promote, refused for an unfinished rebuild (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });

/** The scenario's clock (the end of its data) and a time within the second after it, for a snapshot taken then. */
const END_OF_DATA = (LOCAL_START_S + 2 * 86_400) * 1000;
const WITHIN_A_SECOND = END_OF_DATA + 250;

/**
 * A data dir copy holding a rebuild from `from` (0, or a snapshot of balances taken at WITHIN_A_SECOND, removed after
 * with `pruned`) killed after its second batch, and that rebuild's generation.
 */
async function interruptedRebuild(from: 0 | typeof WITHIN_A_SECOND, pruned = false): Promise<{ dir: string; generation: number }> {
  const scenario = await scenarios();
  const local = await openLocalEventlake({ dataDir: scenario.dataDir, now: () => WITHIN_A_SECOND, restoreDelayMs: 0 });
  try {
    const coordinator = new RebuildCoordinator(local, local.projections);
    const crash = new Error('killed');
    // Marked at position 20 though it holds every event: the rebuild has events to replay (duplicates) and is killed.
    if (from !== 0) await local.snapshots.take('balances', 1, 20);
    const plan = await coordinator.plan({ projection: 'balances', from });
    assert.is(plan.snapshot?.takenAt, from === 0 ? undefined : WITHIN_A_SECOND);
    assert.is(await coordinator.rebuild(plan, { batchSize: 5, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e), crash);
    if (pruned) await local.snapshots.remove(plan.snapshot!);
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
  const { dir, generation } = await interruptedRebuild(0);
  const stderr = await refusal(dir, generation);
  assert.match(stderr, `Run the rebuild that started it again (eventlake --data-dir ${dir} rebuild --projection balances --from 0): it resumes and finishes it`);
  assert.match(stderr, `or drop it (eventlake --data-dir ${dir} generations drop ${generation} --projection balances)`);
  assert.not.match(stderr, '--snapshot');
});

test('for a rebuild from a snapshot taken within a second, the rebuild the refusal names resumes that generation', async () => {
  const { dir, generation } = await interruptedRebuild(WITHIN_A_SECOND);
  const named = /Run the rebuild that started it again \(eventlake (.*?)\): it resumes/.exec(await refusal(dir, generation));
  assert.ok(named, 'a rebuild is named');
  const r = await runCli([...named[1]!.split(' '), '--no-promote', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rebuilt = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rebuild?: { generation: number; resumed: boolean } }).find((l) => l.rebuild)!.rebuild!;
  assert.equal([rebuilt.generation, rebuilt.resumed], [generation, true]);
});

test('when the snapshot it started from was pruned since, the refusal says no rebuild can resume it and names the drop', async () => {
  const { dir, generation } = await interruptedRebuild(WITHIN_A_SECOND, true);
  const stderr = await refusal(dir, generation);
  assert.match(stderr, `No rebuild can resume it (its snapshot is gone or no longer restorable, or the projection's rules changed since): drop it (eventlake --data-dir ${dir} generations drop ${generation} --projection balances)`);
  assert.not.match(stderr, ' rebuild --projection');
});

test.run();
