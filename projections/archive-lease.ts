// The archive lease: one compaction/archive run at a time per data dir or stack (`eventlake archive run`, the scheduled
// compaction, the compaction Lambda), a named lease (lease.ts) in that target's CheckpointStore.
//
// Why one lease for the whole target and not one per hour: two runs walk the same hours in the same order, so a lock
// per hour would only make the second one follow the first, re-reading everything it just did; and the lifecycle run
// moves segments the schedule writes. Why it matters at all: two runs compacting one hour at once can each write a
// segment holding the same events, stored twice for good (segments are write-once).

import { ArchiveRunInProgressError } from '../domain/projection-errors.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import { DEFAULT_LEASE_MS, Lease, unlockedLease, type HeldLease, type LeaseClock } from './lease.ts';

/** The CheckpointStore name of the archive lease (0: free). */
export const ARCHIVE_LEASE = 'archive:lease';

/** How long the archive lease holds without renewal: a crashed run blocks the next one for at most this long. */
export const DEFAULT_ARCHIVE_LEASE_MS = DEFAULT_LEASE_MS;

function held(expiresAt: number, ttlMs: number, lost: boolean): ArchiveRunInProgressError {
  return new ArchiveRunInProgressError(expiresAt, ttlMs, lost);
}

/** Where an archive run takes its lease: the target's checkpoints (none: nothing is locked), and the lease's clock. */
export interface ArchiveLeaseDeps {
  readonly checkpoints?: CheckpointStore;
  /** The lease's wall clock, TTL and sleep (defaults Date.now, DEFAULT_ARCHIVE_LEASE_MS); not the run's `now`. */
  readonly lease?: LeaseClock;
}

/**
 * The archive lease of a CheckpointStore.
 *
 * @example
 * const lease = await ArchiveLease.acquire(checkpoints); // ArchiveRunInProgressError while another run holds it
 * try { await lease.renewIfDue(); } finally { await lease.release(); }
 */
export const ArchiveLease = {
  /** Take the lease if it is free or expired; otherwise throw `ArchiveRunInProgressError` naming when it expires. */
  acquire(store: CheckpointStore, clock: LeaseClock = {}): Promise<HeldLease> {
    return Lease.acquire(store, ARCHIVE_LEASE, held, clock);
  },
};

/**
 * The lease an archive run holds for its whole run, taken in `deps.checkpoints`. Without a checkpoint store nothing
 * is locked (in-memory tests, one-off tools): every CLI command and deployed function passes its target's.
 */
export async function takeArchiveLease(deps: ArchiveLeaseDeps): Promise<HeldLease> {
  if (!deps.checkpoints) return unlockedLease(deps.lease?.sleep);
  return ArchiveLease.acquire(deps.checkpoints, deps.lease);
}
