// A generation kept unpromoted by a rebuild older than the 'finished' mark (before 26 Nov 2026, --no-promote and
// --until left its checkpoint 'replaying' once its replay was done) is finished for the listing, for promotion and for
// the next rebuild alike; one interrupted before its plan's mark is still unfinished.
// Local target: SqliteProjectionStore and SqliteCheckpointStore in a real data dir.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { otherGenerations } from '../../../projections/rebuild/generations.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { UnfinishedGenerationError } from '../../../projections/rebuild/promotable.ts';
import { readCheckpoint, toJson } from '../../../projections/rebuild/replay.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { rejects } from '../../support/async.ts';
import { freshLakeCopies } from './fresh-lake-copies.ts';

const test = suite('generations kept by an older eventlake (local target)');
const withFreshLake = freshLakeCopies();

/** A --no-promote rebuild from an empty projection, its checkpoint then written back as an older eventlake left it. */
async function keptByOldRebuild(local: LocalEventlake, coordinator: RebuildCoordinator): Promise<number> {
  const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  // Older than rules fingerprints too (they came after the 'finished' mark): no rulesFingerprint or rulesForm.
  const { rulesFingerprint: _fingerprint, rulesForm: _form, ...older } = kept.checkpoint;
  await local.store.setCheckpoint('balances', kept.generation, toJson({ ...older, phase: 'replaying' }));
  assert.is(await local.checkpoints.get(rebuildCheckpointName('balances')), kept.generation, 'the projection\'s rebuild still points at it');
  return kept.generation;
}

/** A rebuild from an empty projection killed after its second batch: its checkpoint is in the middle of a pass. */
async function interrupted(local: LocalEventlake, coordinator: RebuildCoordinator): Promise<number> {
  const crash = new Error('killed');
  const stopped = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 5, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e);
  assert.is(stopped, crash);
  const generation = await local.checkpoints.get(rebuildCheckpointName('balances'));
  const cp = await readCheckpoint(local, 'balances', generation);
  assert.ok(cp && cp.phase === 'replaying' && cp.replayedThrough < cp.passTo, 'killed in the middle of its pass');
  return generation;
}

const stateOf = async (local: LocalEventlake, generation: number) => (await otherGenerations(local, 'balances'))?.find((g) => g.generation === generation)?.state;

test('generations list shows a generation an older rebuild kept unpromoted as finished', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await keptByOldRebuild(local, coordinator);
    assert.is(await stateOf(local, kept), 'finished');
  });
});

test('a rebuild of another plan builds beside a generation an older rebuild kept, and leaves it as it was', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await keptByOldRebuild(local, coordinator);
    const before = await local.store.getCheckpoint('balances', kept);
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }));
    assert.is.not(next.generation, kept);
    assert.equal(await local.store.getCheckpoint('balances', kept), before, 'still there, not written to');
  });
});

test('a rebuild of the same plan that does not promote builds beside a generation an older rebuild kept, as beside any kept one', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await keptByOldRebuild(local, coordinator);
    const before = await local.store.getCheckpoint('balances', kept);
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    assert.equal([next.resumed, next.generation === kept], [false, false]);
    assert.equal(await local.store.getCheckpoint('balances', kept), before);
  });
});

test('a generation an older rebuild kept verifies and is promoted', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await keptByOldRebuild(local, coordinator);
    const check = await coordinator.verify('balances', kept, 'log');
    assert.ok(check.passed);
    await coordinator.promote('balances', kept, [check]);
    assert.is(await local.store.liveGeneration('balances'), kept);
    assert.is((await readCheckpoint(local, 'balances', kept))?.phase, 'promoted');
  });
});

test('promoting a generation an older rebuild kept tops it up as finished, so a promotion killed during the top-up leaves it finished', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await keptByOldRebuild(local, coordinator);
    assert.is((await coordinator.promotable('balances', kept)).phase, 'finished');
  });
});

test('a rebuild interrupted before its plan\'s mark is still listed as unfinished', async () => {
  await withFreshLake(async (local, coordinator) => {
    const generation = await interrupted(local, coordinator);
    assert.is(await stateOf(local, generation), 'unfinished');
  });
});

test('a rebuild interrupted before its plan\'s mark is still dropped by a rebuild of another plan', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const generation = await interrupted(local, coordinator);
    await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }));
    assert.is(await readCheckpoint(local, 'balances', generation), undefined);
  });
});

test('a rebuild interrupted before its plan\'s mark is still refused for promotion as unfinished, naming where it stopped', async () => {
  await withFreshLake(async (local, coordinator) => {
    const generation = await interrupted(local, coordinator);
    const cp = await readCheckpoint(local, 'balances', generation);
    const error = await rejects(() => coordinator.promotable('balances', generation), UnfinishedGenerationError);
    assert.equal([error.code, error.projection, error.generation], ['INVALID_ARGUMENT', 'balances', generation]);
    assert.match(error.message, `balances generation ${generation} is an unfinished rebuild (interrupted, or still running, at position ${cp!.replayedThrough}, before its plan's mark)`);
  });
});

test('without the CLI, the refusal names the rebuild to run again in words and no option rebuild lacks', async () => {
  await withFreshLake(async (local, coordinator) => {
    const generation = await interrupted(local, coordinator);
    const error = await rejects(() => coordinator.promotable('balances', generation), UnfinishedGenerationError);
    assert.match(error.message, 'Run the rebuild that started it again (projection balances, from an empty projection): it resumes and finishes it');
    assert.not.match(error.message, '--snapshot');
  });
});

test('a rebuild killed before it finished a pass (filled from its snapshot, waiting for restores) is still unfinished', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const plan = await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) });
    const built = await coordinator.rebuild(plan);
    const filled = { ...built.checkpoint, phase: 'replaying' as const, replayedThrough: plan.baseMark, passTo: plan.baseMark };
    await local.store.setCheckpoint('balances', built.generation, toJson(filled));
    assert.is(await stateOf(local, built.generation), 'unfinished');
  });
});

test.run();
