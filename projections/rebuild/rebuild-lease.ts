// The rebuild lease: at most one rebuild of a projection at a time, across processes and Lambda invocations. A named
// lease (../lease.ts) per projection, whose "held" error is `RebuildInProgressError`.
//
// Why a lease and not a lock: a rebuild killed mid-way (SIGKILL, a Lambda timeout) never releases anything, and the
// next rebuild must be able to resume its generation (see ../lease.ts for how it expires and is renewed).

import { RebuildInProgressError } from '../../domain/projection-errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { DEFAULT_LEASE_MS, Lease, releaseHeldLeases, unlockedLease, type HeldLease, type LeaseClock } from '../lease.ts';
import type { RebuildDeps } from './deps.ts';
import { defaultSleep } from './deps.ts';

export { leaseExpiry, leaseValue, type HeldLease, type LeaseClock } from '../lease.ts';

/** How long a lease holds without renewal: a crashed holder blocks the next rebuild for at most this long. */
export const DEFAULT_REBUILD_LEASE_MS = DEFAULT_LEASE_MS;

/** The CheckpointStore name of a projection's rebuild lease (0: free). */
export function rebuildLeaseName(projection: string): string {
  return `rebuild:lease:${projection}`;
}

/**
 * Free every lease this process holds (rebuild leases, and an archive run's). For a CLI's SIGINT/SIGTERM handler: an
 * interrupted rebuild keeps its generation (the next run resumes it), and without this its lease would block that
 * run until it expired.
 */
export const releaseHeldRebuildLeases: () => Promise<void> = releaseHeldLeases;

/**
 * A projection's rebuild lease in a CheckpointStore.
 *
 * @example
 * const lease = await RebuildLease.acquire(checkpoints, 'balances'); // RebuildInProgressError while another holds it
 * try { await lease.renewIfDue(); } finally { await lease.release(); }
 */
export class RebuildLease implements HeldLease {
  private constructor(private readonly lease: Lease, readonly projection: string) {}

  /** Take the lease if it is free or expired; otherwise throw `RebuildInProgressError` naming when it expires. */
  static async acquire(store: CheckpointStore, projection: string, clock: LeaseClock = {}): Promise<RebuildLease> {
    const held = (expiresAt: number, ttlMs: number, lost: boolean) => new RebuildInProgressError(projection, expiresAt, ttlMs, lost);
    return new RebuildLease(await Lease.acquire(store, rebuildLeaseName(projection), held, clock), projection);
  }

  /** Push the expiry forward if a third of the lease has passed; throws `RebuildInProgressError` if it was lost. */
  renewIfDue(): Promise<void> {
    return this.lease.renewIfDue();
  }

  sleep(ms: number): Promise<void> {
    return this.lease.sleep(ms);
  }

  during<T>(work: () => Promise<T>): Promise<T> {
    return this.lease.during(work);
  }

  release(): Promise<void> {
    return this.lease.release();
  }
}

/**
 * The lease a rebuild of `projection` runs under: taken in `deps.checkpoints`, with `deps.leaseClock`,
 * `deps.leaseTtlMs` and `deps.sleep`. Without a checkpoint store nothing is locked: the lease is a no-op.
 */
export async function takeRebuildLease(deps: Pick<RebuildDeps, 'checkpoints' | 'leaseClock' | 'leaseTtlMs' | 'sleep'>, projection: string): Promise<HeldLease> {
  const sleep = deps.sleep ?? defaultSleep;
  if (!deps.checkpoints) return unlockedLease(sleep);
  return RebuildLease.acquire(deps.checkpoints, projection, {
    sleep, ...(deps.leaseClock ? { now: deps.leaseClock } : {}), ...(deps.leaseTtlMs !== undefined ? { ttlMs: deps.leaseTtlMs } : {}),
  });
}
