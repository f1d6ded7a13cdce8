// A run's own release of its lease can be refused: a runtime's close() refuses every call through its closed guard,
// and the run's `finally` then releases through that guard. The lease must stay known to this process, so that
// close()'s releaseLeasesIn (through the store itself) frees it; else the next run was refused for 5 minutes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClosedError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { ARCHIVE_LEASE, ArchiveLease } from '../../projections/archive-lease.ts';
import { releaseLeasesIn, type Lease } from '../../projections/lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';

const test = suite('lease: a release refused by a closed runtime');

const closed = (store: CheckpointStore): CheckpointStore => ({
  ...store,
  compareAndSet: async () => {
    throw new ClosedError('the eventlake runtime', 'open it again');
  },
});

test('a lease whose release was refused is freed by releaseLeasesIn afterwards', async () => {
  const { store } = scriptedCheckpoints();
  const lease = await ArchiveLease.acquire(store);
  await (lease as Lease).release(closed(store));
  assert.is.not(await store.get(ARCHIVE_LEASE), 0, 'the refused release wrote nothing');
  await releaseLeasesIn(store);
  assert.is(await store.get(ARCHIVE_LEASE), 0);
});

test.run();
