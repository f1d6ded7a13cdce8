// A compare-and-set may answer false for a write that landed (the port's caveat: DynamoDB retries a timed-out
// conditional put, whose retry then fails its own condition). A renewal must read that as its own write: our tag
// is ours while we hold the lease, so our new value there can only be ours. (Taking the lease cannot tell its own
// landed write from a rival that drew the same tag in the same millisecond, so it refuses, as it did before.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import { DEFAULT_REBUILD_LEASE_MS, leaseExpiry, RebuildLease, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';

const test = suite('rebuild lease: a compare-and-set that landed but answered false');
const TTL = DEFAULT_REBUILD_LEASE_MS;

/** A store whose next `lies` successful compare-and-sets answer false, as a retried timeout does. */
function ambiguousStore() {
  const positions = new Map<string, number>();
  const state = { lies: 0 };
  const store: CheckpointStore = {
    get: async (name) => positions.get(name) ?? 0,
    set: async (name, position) => { positions.set(name, position); },
    compareAndSet: async (name, expected, next) => {
      if ((positions.get(name) ?? 0) !== expected) return false;
      positions.set(name, next);
      if (state.lies === 0) return true;
      state.lies--;
      return false;
    },
  };
  return { store, state };
}

test('a renewal that landed but answered false keeps the lease, and its release frees it', async () => {
  const { store, state } = ambiguousStore();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += TTL / 2;
  state.lies = 1;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(rebuildLeaseName('balances'))), clock.now + TTL);
  await lease.release();
  assert.is(await store.get(rebuildLeaseName('balances')), 0);
});

test.run();
