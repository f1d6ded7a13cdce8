// A CheckpointStore whose compare-and-sets answer as a test scripts them: the ambiguous answers a real store can give
// (a write that landed but answered false or threw, an answer that comes late), for the rebuild lease's tests.

import { TransientError } from '../../../domain/errors.ts';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';

export interface CheckpointScript {
  /** The next N compare-and-sets that write answer false, as a retried timeout does. */
  lies: number;
  /** The next N compare-and-sets throw a TransientError; they write first when `landing`. */
  failures: number;
  landing: boolean;
  /** While true, a compare-and-set that writes answers only once `answer()` is called. */
  slow: boolean;
  answer: () => void;
}

/** The store and its script (all off: it answers as a correct store does). */
export function scriptedCheckpoints(): { store: CheckpointStore; script: CheckpointScript } {
  const positions = new Map<string, number>();
  const script: CheckpointScript = { lies: 0, failures: 0, landing: false, slow: false, answer: () => {} };
  const store: CheckpointStore = {
    get: async (name) => positions.get(name) ?? 0,
    set: async (name, position) => { positions.set(name, position); },
    compareAndSet: async (name, expected, next) => {
      const holds = (positions.get(name) ?? 0) === expected;
      if (script.failures > 0) {
        script.failures--;
        if (script.landing && holds) positions.set(name, next);
        throw new TransientError('checkpoint compare-and-set failed: SQLITE_BUSY');
      }
      if (!holds) return false;
      positions.set(name, next);
      if (script.slow) await new Promise<void>((resolve) => { script.answer = resolve; });
      if (script.lies === 0) return true;
      script.lies--;
      return false;
    },
  };
  return { store, script };
}

/** The lease of projection 'balances' in `store`, taken at a wall clock the test moves. */
export async function leaseAtClock(store: CheckpointStore): Promise<{ lease: RebuildLease; clock: { now: number } }> {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  return { lease, clock };
}
