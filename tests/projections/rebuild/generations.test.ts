// Operators see the generations beside the live one and drop them explicitly, under the rebuild lease (local target:
// SqliteProjectionStore and SqliteCheckpointStore in a real data dir).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { LiveGenerationDropError, RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { dropOtherGeneration, otherGenerations } from '../../../projections/rebuild/generations.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import { freshLakeCopies } from './fresh-lake-copies.ts';

const test = suite('generations beside the live one (local target)');
/** A fresh copy of one small data dir (archived days included) per test, opened. */
const withFreshLake = freshLakeCopies();

test('the listing tells a kept rebuild from an unfinished one and from a retired live generation', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    const promoted = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await coordinator.promote('balances', promoted.generation, [await coordinator.verify('balances', promoted.generation, 'log')]);
    const until = scenario.endOfDay(0);
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0, until }));
    const crash = new Error('killed');
    await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 5, onBatch: (n) => { if (n === 1) throw crash; } }).catch(() => {});
    const listed = await otherGenerations(local, 'balances');
    assert.equal(listed?.map((g) => [g.generation, g.state]), [[1, 'retired'], [kept.generation, 'finished'], [kept.generation + 1, 'unfinished']]);
    assert.equal(listed?.find((g) => g.state === 'finished'), { generation: kept.generation, state: 'finished', snapshotId: null, until, replayedThrough: kept.checkpoint.replayedThrough });
  });
});

test('dropping a kept generation deletes its data and checkpoint, and it is no longer listed', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    assert.ok((await local.store.counters('balances', kept.generation)).size > 0);
    assert.equal(await dropOtherGeneration(local, 'balances', kept.generation), { projection: 'balances', generation: kept.generation, state: 'finished' });
    assert.equal((await local.store.counters('balances', kept.generation)).size, 0);
    assert.is(await local.store.getCheckpoint('balances', kept.generation), undefined);
    assert.equal(await otherGenerations(local, 'balances'), []);
  });
});

test('dropping the live generation is refused with a stable code, naming the fix, and it keeps serving', async () => {
  await withFreshLake(async (local) => {
    const before = await local.store.counters('balances', 1);
    const error = await rejects(() => dropOtherGeneration(local, 'balances', 1), LiveGenerationDropError);
    assert.is(error.code, 'LIVE_GENERATION_NOT_DROPPED');
    assert.match(error.message, /^generation: 1 is the live generation of balances/);
    assert.match(error.message, 'promote another generation first');
    assert.equal(await local.store.counters('balances', 1), before);
  });
});

test('dropping is refused while a rebuild holds the projection\'s lease, and the generation stays', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const running = await RebuildLease.acquire(local.checkpoints, 'balances');
    try {
      await rejects(() => dropOtherGeneration(local, 'balances', kept.generation), RebuildInProgressError);
    } finally {
      await running.release();
    }
    assert.ok(await local.store.getCheckpoint('balances', kept.generation));
  });
});

test('a generation that does not exist is refused, naming where to see those that do', async () => {
  await withFreshLake(async (local) => {
    const error = await rejects(() => dropOtherGeneration(local, 'balances', 9), InvalidArgumentError);
    assert.is(error.argument, 'generation');
    assert.match(error.message, 'eventlake generations list --projection balances');
  });
});

test('dropping the generation an interrupted rebuild left makes the next rebuild forget it', async () => {
  await withFreshLake(async (local, coordinator) => {
    const crash = new Error('killed');
    await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 5, onBatch: (n) => { if (n === 1) throw crash; } }).catch(() => {});
    const unfinished = await local.checkpoints.get(rebuildCheckpointName('balances'));
    assert.ok(unfinished > 1);
    await dropOtherGeneration(local, 'balances', unfinished);
    // Otherwise the next rebuild would look for it to resume or drop, and on DynamoDB drop a table that is gone.
    assert.is(await local.checkpoints.get(rebuildCheckpointName('balances')), 0);
  });
});

test('a drop that outlasts the lease (a DynamoDB table deleted and waited for) keeps the lease renewed: no rebuild starts meanwhile', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const ttlMs = 200;
    const slowDrop = async (name: string, generation: number) => {
      await new Promise((r) => setTimeout(r, 4 * ttlMs));
      await local.store.dropGeneration(name, generation);
    };
    const store = Object.assign(Object.create(local.store) as typeof local.store, { dropGeneration: slowDrop });
    const dropping = dropOtherGeneration({ store, checkpoints: local.checkpoints, leaseTtlMs: ttlMs }, 'balances', kept.generation);
    await new Promise((r) => setTimeout(r, 2 * ttlMs));
    const other = await RebuildLease.acquire(local.checkpoints, 'balances', { ttlMs }).catch((e: unknown) => e);
    if (other instanceof RebuildLease) await other.release();
    await dropping;
    assert.instance(other, RebuildInProgressError);
  });
});

test.run();
