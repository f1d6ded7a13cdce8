// Ctrl-C frees the held leases while a renewal may be in flight (releaseHeldLeases runs beside the run). A renewal
// sent just before the release lands first, so the release's compare-and-set from the old value fails; when the
// renewal's answer arrives before the release's, the release must still free the value that renewal wrote.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { ARCHIVE_LEASE, ArchiveLease, DEFAULT_ARCHIVE_LEASE_MS } from '../../projections/archive-lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';

const test = suite('lease: release while a renewal answers');

test('a release whose compare-and-set answers after the renewal that beat it still frees the lease', async () => {
  const { store, script } = scriptedCheckpoints();
  // The release's compare-and-set answers only after the renewal's answer has arrived and been handled.
  const racing: CheckpointStore = {
    ...store,
    compareAndSet: async (name, expected, next) => {
      const swapped = await store.compareAndSet(name, expected, next);
      if (next === 0) {
        script.answer();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return swapped;
    },
  };
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lease = await ArchiveLease.acquire(racing, { now: () => clock.now });
  clock.now += DEFAULT_ARCHIVE_LEASE_MS / 3;
  script.slow = true;
  const renewal = lease.renewIfDue();
  await new Promise((resolve) => setImmediate(resolve));
  script.slow = false;
  await lease.release();
  await renewal;
  assert.is(await store.get(ARCHIVE_LEASE), 0);
});

test.run();
