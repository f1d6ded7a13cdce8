// A rebuild plans its snapshot before it takes the lease under which `eventlake snapshot prune` removes snapshots: a
// prune in that gap stops the rebuild under the lease, before any generation is created, with a typed error naming
// the fix (in-memory ports; the prune is the store's `remove`, as the command calls it).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { coordinatorRebuild } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rejects } from '../../support/async.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild whose planned snapshot was pruned before it took its lease');

async function setup() {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(2) });
  assert.ok(plan.snapshot, 'the plan starts from a snapshot');
  return { lake, coordinator, plan, snapshot: plan.snapshot };
}

test('a rebuild whose planned snapshot was removed after the plan fails with TRANSIENT naming the snapshot, the prune and the fix', async () => {
  const { lake, coordinator, plan, snapshot } = await setup();
  await lake.snapshots.remove(snapshot);
  const error = await rejects(() => coordinator.rebuild(plan), TransientError);
  assert.is(error.code, 'TRANSIENT');
  assert.match(error.message, `snapshot ${snapshot.id} of balances`);
  assert.match(error.message, 'was removed after the plan (an eventlake snapshot prune ran meanwhile)');
  assert.match(error.message, 'run the same eventlake rebuild command again');
});

test('a rebuild whose planned snapshot was removed creates no generation', async () => {
  const { lake, coordinator, plan, snapshot } = await setup();
  await lake.snapshots.remove(snapshot);
  await rejects(() => coordinator.rebuild(plan), TransientError);
  assert.is(await lake.checkpoints.get(rebuildCheckpointName('balances')), 0);
  assert.is(await lake.store.createGeneration('balances'), 2, 'no generation was created before this one');
});

test('the same rebuild run again plans from the snapshots there are and completes', async () => {
  const { lake, coordinator, plan, snapshot } = await setup();
  await lake.snapshots.remove(snapshot);
  await rejects(() => coordinator.rebuild(plan), TransientError);
  const again = await coordinator.plan({ projection: 'balances', from: plan.from });
  assert.ok(again.snapshot && again.snapshot.id !== snapshot.id);
  const built = await coordinator.rebuild(again);
  assert.is(built.checkpoint.phase, 'finished');
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
});

test('a rebuild whose planned snapshot is still there restores it as before', async () => {
  const { coordinator, plan, snapshot } = await setup();
  const built = await coordinator.rebuild(plan);
  assert.is(built.checkpoint.snapshotId, snapshot.id);
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
});

test('an interrupted rebuild of the plan resumes after its snapshot was pruned: the snapshot is in its generation already', async () => {
  const { lake, coordinator, plan, snapshot } = await setup();
  const stop = new Error('interrupted');
  await coordinator.rebuild(plan, { batchSize: 5, onBatch: () => { throw stop; } }).then(() => assert.unreachable('interrupted'), (e: unknown) => assert.is(e, stop));
  await lake.snapshots.remove(snapshot);
  const built = await coordinator.rebuild(plan, { batchSize: 5 });
  assert.ok(built.resumed);
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
});

test('the rebuild function (--remote) answers a snapshot pruned between its plan and its rebuild with the same error', async () => {
  const { lake, coordinator, plan } = await setup();
  // The function plans and rebuilds in one invocation: the prune lands between the two.
  const pruning = Object.assign(Object.create(coordinator) as RebuildCoordinator, {
    plan: async (...args: Parameters<RebuildCoordinator['plan']>) => {
      const planned = await coordinator.plan(...args);
      if (planned.snapshot) await lake.snapshots.remove(planned.snapshot);
      return planned;
    },
  });
  const run = coordinatorRebuild(pruning);
  const error = await rejects(() => run({ projection: 'balances', from: plan.from, dryRun: false }), TransientError);
  assert.match(error.message, 'was removed after the plan');
  assert.is(await lake.checkpoints.get(rebuildCheckpointName('balances')), 0);
});

test.run();
