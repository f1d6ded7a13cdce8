// A generation an older eventlake kept unpromoted (before the 'finished' mark and rules fingerprints) whose plan had
// nothing to replay (its snapshot at the last position) is finished, as one that replayed events is; a current rebuild
// with nothing to replay, killed before it marked its generation finished, is still resumed by the same rebuild.
// Local target: SqliteProjectionStore and SqliteCheckpointStore in a real data dir.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { otherGenerations } from '../../projections/rebuild/generations.ts';
import { toJson } from '../../projections/rebuild/replay.ts';
import type { LocalEventlake } from '../../projections/runtime.ts';
import type { LocalScenario } from '../support/fakes/local-scenario.ts';
import { freshLakeCopies } from './rebuild/fresh-lake-copies.ts';

const test = suite('an empty-range generation kept by an older eventlake (local target)');
const withFreshLake = freshLakeCopies();

/** The plan of a rebuild from the snapshot at the end of the last day: it starts at the last position, nothing to replay. */
async function emptyPlan(coordinator: RebuildCoordinator, scenario: LocalScenario) {
  const plan = await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(1) });
  assert.is(plan.mark, plan.baseMark, 'nothing to replay');
  return plan;
}

/** A --no-promote rebuild with nothing to replay, its checkpoint then written back as an older eventlake left it. */
async function keptEmptyByOldRebuild(local: LocalEventlake, coordinator: RebuildCoordinator, scenario: LocalScenario): Promise<number> {
  const kept = await coordinator.rebuild(await emptyPlan(coordinator, scenario));
  // Older than rules fingerprints too: no rulesFingerprint or rulesForm. It ran no pass, so it never moved past its start.
  const { rulesFingerprint: _fingerprint, rulesForm: _form, ...older } = kept.checkpoint;
  await local.store.setCheckpoint('balances', kept.generation, toJson({ ...older, phase: 'replaying' }));
  assert.equal([older.replayedThrough, older.passTo], [older.baseMark, older.baseMark]);
  return kept.generation;
}

const stateOf = async (local: LocalEventlake, generation: number) => (await otherGenerations(local, 'balances'))?.find((g) => g.generation === generation)?.state;

test('generations list shows an empty-range generation an older rebuild kept unpromoted as finished', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await keptEmptyByOldRebuild(local, coordinator, scenario);
    assert.is(await stateOf(local, kept), 'finished');
  });
});

test('a rebuild of another plan leaves an empty-range generation an older rebuild kept, instead of dropping it', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await keptEmptyByOldRebuild(local, coordinator, scenario);
    const before = await local.store.getCheckpoint('balances', kept);
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    assert.is.not(next.generation, kept);
    assert.equal(await local.store.getCheckpoint('balances', kept), before, 'still there, not written to');
  });
});

test('an empty-range generation an older rebuild kept verifies and is promoted', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await keptEmptyByOldRebuild(local, coordinator, scenario);
    const check = await coordinator.verify('balances', kept, 'log');
    assert.ok(check.passed, JSON.stringify(check.differences));
    await coordinator.promote('balances', kept, [check]);
    assert.is(await local.store.liveGeneration('balances'), kept);
  });
});

test('a current rebuild with nothing to replay, killed before its finished mark, is resumed by the same rebuild', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const plan = await emptyPlan(coordinator, scenario);
    const built = await coordinator.rebuild(plan);
    // As the kill left it: its starting checkpoint, with the running rules' fingerprint, still 'replaying'.
    await local.store.setCheckpoint('balances', built.generation, toJson({ ...built.checkpoint, phase: 'replaying' }));
    assert.is(await stateOf(local, built.generation), 'unfinished');
    const again = await coordinator.rebuild(plan);
    assert.equal([again.generation, again.resumed], [built.generation, true]);
  });
});

test.run();
