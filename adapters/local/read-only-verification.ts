// What a verification reads a data dir opened read-only through: its snapshots read back into scratch generations of
// the private in-memory copy of projections.db, and no rebuild lease.

import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { RebuildDeps } from '../../projections/rebuild/deps.ts';
import type { LocalEventlake } from '../../projections/runtime.ts';

/** The ports of a read-only runtime that let a verification change its in-memory copy (see `readOnlyVerification`). */
export interface ScratchPorts {
  readonly store: ProjectionStore;
  readonly snapshots: SnapshotStore;
}

const scratchPorts = new WeakMap<object, ScratchPorts>();

/** Called by `openReadOnlyLocalEventlake` for each runtime it opens. */
export function registerScratchPorts(local: object, ports: ScratchPorts): void {
  scratchPorts.set(local, ports);
}

/**
 * What `RebuildCoordinator.verify` verifies `local` with when `openReadOnlyLocalEventlake` opened it; undefined for
 * any other runtime (verify that one as it is). Differs from `local` in two ways:
 * - No checkpoint store, so no rebuild lease: taking one writes dispatch.db, which a read-only data dir refuses, and
 *   the lease guards against other writers, which a data dir opened read-only has none of by its contract (a backup,
 *   a read-only mount). The generations and snapshots read are those of the private copies made at open.
 * - Its store may create, fill from a snapshot and drop a scratch generation, and set a generation's checkpoint: the
 *   only way the snapshot port reads a snapshot back is a restore into a scratch generation, and these change nothing
 *   but the in-memory copy of projections.db, lost at close. Applying, promoting, taking or removing a snapshot, and
 *   restoring archived objects, are still refused as on `local`.
 *
 * @example
 * const coordinator = new RebuildCoordinator(readOnlyVerification(local) ?? local, local.projections);
 */
export function readOnlyVerification(local: LocalEventlake): RebuildDeps | undefined {
  const ports = scratchPorts.get(local);
  if (ports === undefined) return undefined;
  const { checkpoints: _lease, ...rest } = local;
  return { ...rest, ...ports };
}
