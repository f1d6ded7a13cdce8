// A take whose compare-and-set failed with a TransientError reads the lease back (its write may have landed); when that
// read fails too, the take's own error is the one thrown, naming the read's: before, the read's error replaced it, and
// the operator saw a failed read of a lease where a write had failed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { ArchiveLease } from '../../projections/archive-lease.ts';
import { rejects } from '../support/async.ts';

const test = suite('lease: a take whose read-back fails');

const writeFailed = new TransientError('checkpoint compare-and-set failed: SQLITE_IOERR');

/** A free lease whose write fails, and whose every read after the first fails too. */
function failingStore(): CheckpointStore {
  let reads = 0;
  return {
    get: async () => {
      if (++reads > 1) throw new TransientError('checkpoint get failed: SQLITE_BUSY');
      return 0;
    },
    set: async () => {},
    compareAndSet: async () => { throw writeFailed; },
  };
}

test('the take\'s own error is thrown, not the read-back\'s', async () => {
  const error = await rejects(() => ArchiveLease.acquire(failingStore()), TransientError);
  assert.is(error, writeFailed);
});

test('the thrown error names the read-back\'s failure too', async () => {
  const error = await rejects(() => ArchiveLease.acquire(failingStore()), TransientError);
  assert.match(error.message, 'reading the lease back failed too: checkpoint get failed: SQLITE_BUSY');
});

test.run();
