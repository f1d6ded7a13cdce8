// The rebuild scenario's memory lake with a snapshot store that, like DynamoDB once PITR no longer covers a marker,
// lists some snapshots with `notRestorable` and never returns them from latestAtOrBefore: what the restorable-*
// suites need to tell a restorable snapshot from one a store can no longer restore, without AWS.
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

/** What the suites set and read: the snapshots made unrestorable (id → why), the restores asked for, a refusal of them. */
export interface Restorability {
  readonly gone: Map<string, string>;
  restores: number;
  refuseRestore?: (snapshot: SnapshotInfo) => Error | undefined;
}

/** The scenario (six days, a snapshot of each projection at the end of each) over that store, and a coordinator. */
export async function restorableLake() {
  const { lake, endOfDay } = await buildScenario();
  const store = lake.snapshots;
  const seen: Restorability = { gone: new Map(), restores: 0 };
  const mark = (s: SnapshotInfo): SnapshotInfo => (seen.gone.has(s.id) ? { ...s, notRestorable: seen.gone.get(s.id)! } : s);
  const snapshots = Object.assign(Object.create(store) as typeof store, {
    list: async (projection: string) => (await store.list(projection)).map(mark),
    latestAtOrBefore: async (projection: string, atMs: number) =>
      (await store.list(projection)).filter((s) => s.takenAt <= atMs && !seen.gone.has(s.id)).at(-1),
    restore: async (snapshot: SnapshotInfo, generation: number) => {
      seen.restores++;
      const refused = seen.refuseRestore?.(snapshot);
      if (refused) throw refused;
      await store.restore(snapshot, generation);
    },
  });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { snapshots });
  const balances = await store.list('balances');
  return { lake, deps, seen, endOfDay, balances, coordinator: new RebuildCoordinator(deps, lake.projections) };
}
