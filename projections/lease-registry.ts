// The leases this process holds now, so that a signal handler or a runtime's close() can free them before the process
// or the runtime goes: a lease left behind refuses the next run for its minutes (or, locally, until its holder's
// process has died, see lease-take.ts).

import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';

/** What the registry needs of a held lease (lease.ts's Lease). */
export interface RegisteredLease {
  heldIn(store: CheckpointStore): boolean;
  release(via?: CheckpointStore): Promise<void>;
}

const HELD = new Set<RegisteredLease>();

/** Count `lease` as held by this process until `forget(lease)`. */
export function remember(lease: RegisteredLease): void {
  HELD.add(lease);
}

/** `lease` is released (or being released): signals and close() leave it alone. */
export function forget(lease: RegisteredLease): void {
  HELD.delete(lease);
}

/**
 * Free every lease this process holds. For a CLI's SIGINT/SIGTERM handler: an interrupted run's work is kept for the
 * next run, and without this its lease would block that run until it expired.
 */
export async function releaseHeldLeases(): Promise<void> {
  await Promise.all([...HELD].map((lease) => lease.release()));
}

/**
 * Free the leases this process holds in `store`, writing through `via` (the store under a runtime's closed guard,
 * which refuses by then). For a runtime's close(): a run holding one cannot go on once its calls refuse, and its
 * lease would refuse the next run of the same lake until it expired.
 */
export async function releaseLeasesIn(store: CheckpointStore, via: CheckpointStore = store): Promise<void> {
  await Promise.all([...HELD].filter((lease) => lease.heldIn(store)).map((lease) => lease.release(via)));
}
