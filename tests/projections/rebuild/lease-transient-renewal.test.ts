// A renewal that fails on a passing storage error (throttling, a busy SQLite file) does not stop a rebuild whose lease
// still has time left: the lease is still its own, and the next batch renews it. Only a lease running out stops it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { DEFAULT_REBUILD_LEASE_MS, leaseExpiry, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import { leaseAtClock, scriptedCheckpoints } from '../../support/fakes/scripted-checkpoints.ts';

const test = suite('rebuild lease: a renewal that fails on a transient error');
const TTL = DEFAULT_REBUILD_LEASE_MS;
const NAME = rebuildLeaseName('balances');

/** A lease whose renewal, due `after` ms in, failed once with a TransientError (that wrote first when `landing`). */
async function renewedThroughAFailure(after: number, landing = false) {
  const { store, script } = scriptedCheckpoints();
  const { lease, clock } = await leaseAtClock(store);
  clock.now += after;
  Object.assign(script, { failures: 1, landing });
  const renewal = lease.renewIfDue();
  return { store, lease, clock, renewal };
}

test('a renewal failing transiently with most of the lease left is tried again at the next batch', async () => {
  const { store, lease, clock, renewal } = await renewedThroughAFailure(TTL / 3);
  await renewal;
  clock.now += 1000;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(NAME)), clock.now + TTL);
});

test('a renewal whose transient failure had in fact written is the lease\'s own: the next renewal and the release go on from it', async () => {
  const { store, lease, clock, renewal } = await renewedThroughAFailure(TTL / 3, true);
  await renewal;
  clock.now += TTL / 3;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(NAME)), clock.now + TTL);
  await lease.release();
  assert.is(await store.get(NAME), 0);
});

test('a release after a renewal whose transient failure had in fact written frees the lease', async () => {
  const { store, lease, renewal } = await renewedThroughAFailure(TTL / 3, true);
  await renewal;
  await lease.release();
  assert.is(await store.get(NAME), 0);
});

test('a renewal failing transiently when less than a third of the lease is left stops the rebuild with that error', async () => {
  const { renewal } = await renewedThroughAFailure(TTL * 0.7);
  await rejects(() => renewal, TransientError);
});

test.run();
