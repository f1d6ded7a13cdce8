// A renewal that fails on a passing storage error (throttling, a busy SQLite file) does not stop a rebuild whose lease
// still has time left: the lease is still its own, and the next batch renews it. Only a lease running out stops it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import { DEFAULT_REBUILD_LEASE_MS, leaseExpiry, RebuildLease, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';

const test = suite('rebuild lease: a renewal that fails on a transient error');
const TTL = DEFAULT_REBUILD_LEASE_MS;
const NAME = rebuildLeaseName('balances');

/** A store whose next `failures` compare-and-sets throw a TransientError, without writing unless `landing`. */
function flakyStore() {
  const positions = new Map<string, number>();
  const state = { failures: 0, landing: false };
  const store: CheckpointStore = {
    get: async (name) => positions.get(name) ?? 0,
    set: async (name, position) => { positions.set(name, position); },
    compareAndSet: async (name, expected, next) => {
      if (state.failures > 0) {
        state.failures--;
        if (state.landing && (positions.get(name) ?? 0) === expected) positions.set(name, next);
        throw new TransientError('checkpoint compare-and-set failed: SQLITE_BUSY');
      }
      if ((positions.get(name) ?? 0) !== expected) return false;
      positions.set(name, next);
      return true;
    },
  };
  return { store, state };
}

test('a renewal failing transiently with most of the lease left is tried again at the next batch', async () => {
  const { store, state } = flakyStore();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += TTL / 3;
  state.failures = 1;
  await lease.renewIfDue();
  clock.now += 1000;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(NAME)), clock.now + TTL);
});

test('a renewal whose transient failure had in fact written is the lease\'s own: the next renewal and the release go on from it', async () => {
  const { store, state } = flakyStore();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += TTL / 3;
  Object.assign(state, { failures: 1, landing: true });
  await lease.renewIfDue();
  clock.now += TTL / 3;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(NAME)), clock.now + TTL);
  await lease.release();
  assert.is(await store.get(NAME), 0);
});

test('a release after a renewal whose transient failure had in fact written frees the lease', async () => {
  const { store, state } = flakyStore();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += TTL / 3;
  Object.assign(state, { failures: 1, landing: true });
  await lease.renewIfDue();
  await lease.release();
  assert.is(await store.get(NAME), 0);
});

test('a renewal failing transiently when less than a third of the lease is left stops the rebuild with that error', async () => {
  const { store, state } = flakyStore();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += TTL * 0.7;
  state.failures = 1;
  await rejects(() => lease.renewIfDue(), TransientError);
});

test.run();
