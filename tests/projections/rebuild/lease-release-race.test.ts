// Ctrl-C frees the lease while the rebuild may be mid-renewal (releaseHeldRebuildLeases runs beside it): the release
// must free the value that renewal wrote, or the interrupted rebuild's rerun is refused until the lease expires.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REBUILD_LEASE_MS, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { leaseAtClock, scriptedCheckpoints } from '../../support/fakes/scripted-checkpoints.ts';

const test = suite('rebuild lease: release during a renewal');

test('a release while a renewal\'s write has landed but not yet answered frees the lease', async () => {
  const { store, script } = scriptedCheckpoints();
  const { lease, clock } = await leaseAtClock(store);
  clock.now += DEFAULT_REBUILD_LEASE_MS / 3;
  script.slow = true;
  const renewal = lease.renewIfDue().catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  script.slow = false;
  await lease.release();
  script.answer();
  await renewal;
  assert.is(await store.get(rebuildLeaseName('balances')), 0);
});

test.run();
