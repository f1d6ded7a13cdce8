// A snapshot restore is one long call (a DynamoDB PITR restore waits up to 10 minutes by default, twice the lease's
// TTL) between whose steps a rebuild cannot renew: its lease must not expire under it. Real timers, a short TTL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild lease during a snapshot restore');
const TTL_MS = 300;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a snapshot restore longer than the lease keeps it held: a second rebuild started during it is refused', async () => {
  const { lake, endOfDay } = await buildScenario();
  let rival: Promise<unknown> | undefined;
  const snapshots = Object.assign(Object.create(lake.snapshots) as MemoryLake['snapshots'], {
    restore: async (...args: Parameters<MemoryLake['snapshots']['restore']>) => {
      await pause(TTL_MS * 2.5);
      rival = RebuildLease.acquire(lake.checkpoints, 'balances').then(() => 'taken', (error: unknown) => error);
      await rival;
      return lake.snapshots.restore(...args);
    },
  });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { snapshots, leaseTtlMs: TTL_MS });
  const coordinator = new RebuildCoordinator(deps, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(0) });
  assert.ok(plan.snapshot);
  const built = await coordinator.rebuild(plan, { batchSize: 1000 });
  assert.instance(await rival, RebuildInProgressError);
  assert.ok(built.checkpoint.applied > 0);
});

test('a lease lost during a long call fails the rebuild once the call returns', async () => {
  const { lake, endOfDay } = await buildScenario();
  const snapshots = Object.assign(Object.create(lake.snapshots) as MemoryLake['snapshots'], {
    restore: async (...args: Parameters<MemoryLake['snapshots']['restore']>) => {
      await lake.checkpoints.set('rebuild:lease:balances', (Date.now() + 60_000) * 1000 + 1); // another holder took it
      await pause(TTL_MS);
      return lake.snapshots.restore(...args);
    },
  });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { snapshots, leaseTtlMs: TTL_MS });
  const coordinator = new RebuildCoordinator(deps, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(0) });
  await rejects(() => coordinator.rebuild(plan, { batchSize: 1000 }), RebuildInProgressError);
});

test.run();
