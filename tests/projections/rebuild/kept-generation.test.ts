// A finished generation kept unpromoted (`eventlake rebuild --no-promote`, every `--until` view) belongs to the
// operator who kept it: later rebuilds build beside it and never drop it; only an unfinished one is dropped implicitly.
// Local target: SqliteProjectionStore and SqliteCheckpointStore in a real data dir.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { foldEvents } from '../../../domain/projection.ts';
import type { ProjectionState } from '../../../domain/projection.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { rejects } from '../../support/async.ts';
import type { LocalScenario } from '../../support/fakes/local-scenario.ts';
import { SAMPLES } from '../../support/samples.ts';
import { freshLakeCopies } from './fresh-lake-copies.ts';

const test = suite('kept generations (local target)');
/** A fresh copy of one small data dir (archived days included) per test, opened. */
const withFreshLake = freshLakeCopies();

const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });

const direct = (local: LocalEventlake, scenario: LocalScenario) => visible(foldEvents(local.projections.find((p) => p.name === 'balances')!, scenario.events));

test('a rebuild of another plan never drops a finished generation kept unpromoted; it builds a new one beside it', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }));
    assert.is.not(next.generation, kept.generation);
    assert.equal(visible(await local.store.readState('balances', kept.generation)), direct(local, scenario));
    assert.ok(await local.store.getCheckpoint('balances', kept.generation), 'its rebuild checkpoint is still there');
  });
});

test('a rebuild of the same plan never takes over a finished generation kept unpromoted; it builds a new one beside it', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    const kept = await coordinator.rebuild(plan);
    const before = await local.store.getCheckpoint('balances', kept.generation);
    const next = await coordinator.rebuild(plan);
    assert.not.ok(next.resumed);
    assert.is.not(next.generation, kept.generation);
    assert.equal(await local.store.getCheckpoint('balances', kept.generation), before, 'the kept generation was not written to');
    assert.equal(visible(await local.store.readState('balances', next.generation)), direct(local, scenario));
  });
});

test('a rebuild that promotes (resumeFinished) takes over the finished generation of its plan: it tops it up and builds nothing beside it', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await local.lake.emit({ ...SAMPLES['cash_deposit']!, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13999' });
    await local.catchUp();
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { resumeFinished: true });
    assert.equal([next.resumed, next.generation], [true, kept.generation]);
    assert.is(next.checkpoint.applied, kept.checkpoint.applied + 1, 'only the event stored since was replayed');
    assert.ok((await coordinator.verify('balances', next.generation, 'log')).passed);
  });
});

test('resumeFinished never takes over a finished generation of another plan', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const before = await local.store.getCheckpoint('balances', kept.generation);
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }), { resumeFinished: true });
    assert.is.not(next.generation, kept.generation);
    assert.equal(await local.store.getCheckpoint('balances', kept.generation), before);
  });
});

test('resuming a finished generation by its number is refused, saying it is finished, and leaves it as it was', async () => {
  await withFreshLake(async (local, coordinator) => {
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    const kept = await coordinator.rebuild(plan);
    const before = await local.store.getCheckpoint('balances', kept.generation);
    const error = await rejects(() => coordinator.rebuild(plan, { generation: kept.generation }), InvalidArgumentError);
    assert.match(error.message, `balances generation ${kept.generation} is a finished rebuild (finished), not one to resume`);
    assert.equal(await local.store.getCheckpoint('balances', kept.generation), before);
  });
});

test('an unfinished generation of another plan is still dropped by the next rebuild', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const crash = new Error('killed');
    const stopped = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 5, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e);
    assert.is(stopped, crash);
    const unfinished = await local.checkpoints.get(rebuildCheckpointName('balances'));
    const interrupted = await readCheckpoint(local, 'balances', unfinished);
    assert.is(interrupted?.phase, 'replaying', 'the interrupted rebuild left its generation');
    const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }));
    assert.is.not(next.generation, unfinished, 'a dropped generation\'s number is never handed out again');
    assert.is(await readCheckpoint(local, 'balances', unfinished), undefined, 'the interrupted rebuild is gone');
  });
});

test('a kept generation can still be verified and promoted after another rebuild ran', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(0) }));
    const check = await coordinator.verify('balances', kept.generation, 'log');
    assert.ok(check.passed);
    await coordinator.promote('balances', kept.generation, [check]);
    assert.is(await local.store.liveGeneration('balances'), kept.generation);
    assert.is((await readCheckpoint(local, 'balances', kept.generation))?.planKey, kept.checkpoint.planKey);
  });
});

test('verifying a kept generation is refused while a rebuild holds the projection\'s lease', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const running = await RebuildLease.acquire(local.checkpoints, 'balances');
    try {
      await rejects(() => coordinator.verify('balances', kept.generation, 'log'), RebuildInProgressError);
    } finally {
      await running.release();
    }
    assert.ok((await coordinator.verify('balances', kept.generation, 'log')).passed, 'and runs once it is free');
  });
});

test('verifying a generation that is neither live nor a rebuild\'s names the live one and where to find the others', async () => {
  await withFreshLake(async (_local, coordinator) => {
    const error = await rejects(() => coordinator.verify('balances', 9, 'log'), InvalidArgumentError);
    assert.match(error.message, 'balances generation 9 is neither live (1) nor a rebuild\'s');
    assert.match(error.message, 'eventlake generations list');
  });
});

test('verifying the live generation needs no lease: it runs beside a rebuild', async () => {
  await withFreshLake(async (local, coordinator) => {
    const running = await RebuildLease.acquire(local.checkpoints, 'balances');
    try {
      assert.ok((await coordinator.verify('balances', 1, 'log')).passed);
    } finally {
      await running.release();
    }
  });
});

test.run();
