// Verifying the live generation against a snapshot reads that snapshot under the projection's rebuild lease, under
// which `eventlake snapshot prune` removes snapshots: a prune cannot remove it half-way, and a verification while a
// rebuild, promote, drop or prune holds the lease is refused before reading anything. A rebuilt generation's
// verification, whose caller holds the lease already, does not take it a second time (in-memory ports; the prune is
// the lease and the store's `remove`, as the command does them).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { RebuildLease, takeRebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('verify against a snapshot under the rebuild lease');

/** `eventlake snapshot prune --keep 1` of balances: under its lease, as the command runs it. */
async function prune(lake: MemoryLake): Promise<void> {
  const lease = await takeRebuildLease(lake, 'balances');
  try {
    for (const s of (await lake.snapshots.list('balances')).slice(0, -1)) await lake.snapshots.remove(s);
  } finally {
    await lease.release();
  }
}

/**
 * The scenario's lake whose snapshot store runs `between` once a verification has chosen its snapshot and before it
 * restores it, and counts the restores.
 */
async function setup(between: () => Promise<void> = async () => {}) {
  const { lake, endOfDay } = await buildScenario();
  const store = lake.snapshots;
  const seen = { restores: 0 };
  const snapshots = Object.assign(Object.create(store) as typeof store, {
    latestAtOrBefore: async (projection: string, atMs: number) => {
      const chosen = await store.latestAtOrBefore(projection, atMs);
      await between();
      return chosen;
    },
    restore: async (snapshot: SnapshotInfo, generation: number) => {
      seen.restores++;
      await store.restore(snapshot, generation);
    },
  });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { snapshots });
  const coordinator = new RebuildCoordinator(deps, lake.projections);
  const live = await lake.store.liveGeneration('balances');
  return { lake, coordinator, live, seen, snapshotAt: endOfDay(2) };
}

test('verifying the live generation against a snapshot while another holds the lease is refused with REBUILD_IN_PROGRESS, reading nothing', async () => {
  const { lake, coordinator, live, seen, snapshotAt } = await setup();
  const other = await RebuildLease.acquire(lake.checkpoints, 'balances'); // a rebuild, promote, drop or prune of it
  const error = await rejects(() => coordinator.verify('balances', live, 'snapshot', { snapshotAt }), RebuildInProgressError);
  assert.is(error.code, 'REBUILD_IN_PROGRESS');
  assert.match(error.message, 'projection balances: another rebuild of it is running');
  assert.is(seen.restores, 0, 'no snapshot restored');
  assert.is(await lake.store.createGeneration('balances'), 2, 'no scratch generation was created');
  await other.release();
});

test('a snapshot prune while the live generation\'s verification reads its snapshot is refused, and the verification passes', async () => {
  const refused: unknown[] = [];
  const { lake, coordinator, live, snapshotAt } = await setup(async () => { refused.push(await prune(lake).then(() => 'pruned', (e: unknown) => e)); });
  const report = await coordinator.verify('balances', live, 'snapshot', { snapshotAt });
  assert.ok(report.passed, 'the snapshot was read whole');
  assert.instance(refused[0], RebuildInProgressError);
  assert.is((await lake.snapshots.list('balances')).length, 6, 'nothing was removed');
});

test('the live generation\'s verification frees the lease once it has read the snapshot', async () => {
  const { lake, coordinator, live, snapshotAt } = await setup();
  assert.ok((await coordinator.verify('balances', live, 'snapshot', { snapshotAt })).passed);
  await prune(lake);
  assert.is((await lake.snapshots.list('balances')).length, 1);
});

test('a verification refused for want of a snapshot frees the lease too', async () => {
  const { lake, coordinator, live } = await setup();
  await rejects(() => coordinator.verify('balances', live, 'snapshot', { snapshotAt: 0 }), Error);
  await (await RebuildLease.acquire(lake.checkpoints, 'balances')).release();
});

test('verifying the live generation against the log takes no lease: it runs beside a rebuild', async () => {
  const { lake, coordinator, live } = await setup();
  const other = await RebuildLease.acquire(lake.checkpoints, 'balances');
  assert.ok((await coordinator.verify('balances', live, 'log')).passed);
  await other.release();
});

test('a rebuilt generation is verified against a snapshot under the one lease its verification takes, not a second', async () => {
  const { lake, coordinator, snapshotAt } = await setup();
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: snapshotAt }));
  const report = await coordinator.verify('balances', built.generation, 'snapshot', { snapshotAt });
  assert.ok(report.passed, report.reference);
  await (await RebuildLease.acquire(lake.checkpoints, 'balances')).release();
});

test.run();
