// Ctrl-C frees the lease while the rebuild may be mid-renewal (releaseHeldRebuildLeases runs beside it): the release
// must free the value that renewal wrote, or the interrupted rebuild's rerun is refused until the lease expires.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import { DEFAULT_REBUILD_LEASE_MS, RebuildLease, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';

const test = suite('rebuild lease: release during a renewal');
const NAME = rebuildLeaseName('balances');

test('a release while a renewal\'s write has landed but not yet answered frees the lease', async () => {
  const positions = new Map<string, number>();
  let answer: () => void = () => {};
  let slow = false;
  const store: CheckpointStore = {
    get: async (name) => positions.get(name) ?? 0,
    set: async (name, position) => { positions.set(name, position); },
    compareAndSet: async (name, expected, next) => {
      if ((positions.get(name) ?? 0) !== expected) return false;
      positions.set(name, next);
      if (slow) await new Promise<void>((resolve) => { answer = resolve; });
      return true;
    },
  };
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await RebuildLease.acquire(store, 'balances', { now: () => clock.now });
  clock.now += DEFAULT_REBUILD_LEASE_MS / 3;
  slow = true;
  const renewal = lease.renewIfDue().catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  slow = false;
  await lease.release();
  answer();
  await renewal;
  assert.is(await store.get(NAME), 0);
});

test.run();
