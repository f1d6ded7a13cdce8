// A run that fails on a full disk keeps its own error when releasing its lease fails too (the same disk refuses the
// release's write): the run's error says what it kept and how to go on; a release failure must not replace it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageFullError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { ARCHIVE_LEASE } from '../../projections/archive-lease.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';

const test = suite('lease release after a failed run');

const full = (where: string) => new StorageFullError(where, `writing ${where} failed: no space left`);

/** Checkpoints whose lease can be taken, and whose every later compare-and-set (the release) finds the disk full. */
function fillsAfterTake(): CheckpointStore {
  const { checkpoints } = memoryCheckpoints();
  let takes = 0;
  return { ...checkpoints, compareAndSet: async (...args) => (takes++ === 0 ? checkpoints.compareAndSet(...args) : Promise.reject(full('dispatch.db'))) };
}

test('a lifecycle run failing on a full disk throws its own error when its lease release fails too', async () => {
  const archive = new MemoryArchiveTier(Date.now);
  const index = new MemoryEventIndex();
  index.objects = () => Promise.reject(full('index.db'));
  const checkpoints = fillsAfterTake();
  const error = await rejects(() => runLifecycle({ log: new MemoryEventLog(archive), index, archive, checkpoints }, { now: Date.now() }), StorageFullError);
  assert.is(error.where, 'index.db');
  assert.is.not(await checkpoints.get(ARCHIVE_LEASE), 0, 'the lease stays taken (it expires, or close() frees it)');
});

test.run();
