// What a verification reads a data dir opened read-only through: its snapshots read back into scratch generations of
// the private in-memory copy of projections.db, no rebuild lease, and restores of archived objects refused naming it.

import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { RebuildDeps } from '../../projections/rebuild/deps.ts';
import type { LocalEventlake } from '../../projections/runtime.ts';

/** The ports of a read-only runtime that let a verification change its in-memory copy (see `readOnlyVerification`). */
export interface ScratchPorts {
  readonly store: ProjectionStore;
  readonly snapshots: SnapshotStore;
  /** The runtime's write refusal (`writeRefusal`), naming the operation refused. */
  readonly refusal: (operation: string) => Error;
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
 *   restoring archived objects (naming the verification and the first object), are still refused.
 *
 * @example
 * const coordinator = new RebuildCoordinator(readOnlyVerification(local) ?? local, local.projections);
 */
export function readOnlyVerification(local: LocalEventlake): RebuildDeps | undefined {
  const ports = scratchPorts.get(local);
  if (ports === undefined) return undefined;
  const { checkpoints: _lease, ...rest } = local;
  const { refusal, ...scratch } = ports;
  return { ...rest, ...scratch, archive: namingRestores(local.archive, refusal) };
}

/**
 * `archive` whose restores refuse naming the verification and the objects it would read: a snapshot or generation
 * advanced to the other side's mark reads the log's events in between, which may be archived. Why not up front, as
 * against the log (cli/verify-read-only.ts): those events are known once the marks are, and are most often recent.
 */
function namingRestores(archive: ArchiveTier, refusal: (operation: string) => Error): ArchiveTier {
  return {
    storage: (keys) => archive.storage(keys),
    transition: (key, storageClass) => archive.transition(key, storageClass),
    restore: async (keys) => {
      throw refusal(`verifying (it must restore ${keys.length} archived object(s) to read them, first: ${keys[0]})`);
    },
  };
}
