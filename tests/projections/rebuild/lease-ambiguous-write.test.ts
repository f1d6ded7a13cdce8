// A compare-and-set may answer false for a write that landed (the port's caveat: DynamoDB retries a timed-out
// conditional put, whose retry then fails its own condition). A renewal must read that as its own write: our tag
// is ours while we hold the lease, so our new value there can only be ours. (A take reads its own value back the same
// way: tests/projections/lease-take-lost-answer.test.ts.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REBUILD_LEASE_MS, leaseExpiry, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { leaseAtClock, scriptedCheckpoints } from '../../support/fakes/scripted-checkpoints.ts';

const test = suite('rebuild lease: a compare-and-set that landed but answered false');
const TTL = DEFAULT_REBUILD_LEASE_MS;

test('a renewal that landed but answered false keeps the lease, and its release frees it', async () => {
  const { store, script } = scriptedCheckpoints();
  const { lease, clock } = await leaseAtClock(store);
  clock.now += TTL / 2;
  script.lies = 1;
  await lease.renewIfDue();
  assert.is(leaseExpiry(await store.get(rebuildLeaseName('balances'))), clock.now + TTL);
  await lease.release();
  assert.is(await store.get(rebuildLeaseName('balances')), 0);
});

test.run();
