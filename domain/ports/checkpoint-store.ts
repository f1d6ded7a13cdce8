// Port: named positions that tails and rebuilds resume from, and the compare-and-set that rebuild leases take.

import type { LeaseLiveness } from './lease-liveness.ts';

/**
 * Durable named checkpoints (a dispatch tail's position, say).
 *
 * @example
 * const from = await checkpoints.get('dispatch'); // 0 when never set
 * await checkpoints.set('dispatch', page.next);
 * const won = await checkpoints.compareAndSet('rebuild:lease:balances', 0, leaseValue); // false: someone else holds it
 */
export interface CheckpointStore {
  get(name: string): Promise<number>;
  set(name: string, position: number): Promise<void>;
  /**
   * Atomically set `name` to `next` if it holds `expected` now (a name never set holds 0); true when it did. Of any
   * number of concurrent calls from the same `expected`, across processes, at most one wins. A caller that retries
   * after an error it cannot tell apart from success (a timeout) may get false for a write that did land.
   */
  compareAndSet(name: string, expected: number, next: number): Promise<boolean>;
  /**
   * True when compareAndSet's false always means nothing was written (the store never retries a write inside it).
   * Absent: false may answer a write that landed (a retried timeout), so a refused lease take that reads its own value
   * back takes it for its own (projections/lease-take.ts).
   */
  readonly exactAnswers?: boolean;
  /** Whether the holders of leases kept here are alive (a local data dir); absent: leases end only by expiry. */
  readonly leaseLiveness?: LeaseLiveness;
}
