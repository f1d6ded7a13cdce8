// A re-sent batch whose catalogue COMMIT fails on a full disk: its events were all stored before, and the
// STORAGE_FULL error says so (it said "nothing of it was stored", which read as lost events).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { depositNo, failNextCommit } from './append-disk-full-faults.ts';

const test = suite('FsEventLog re-send on a full disk');

const batch = (n: number) => Array.from({ length: n }, (_, i) => depositNo(i));

test('a batch of duplicates whose COMMIT fails says its events were already stored, not that nothing was', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    await log.append(batch(3));
    const free = failNextCommit();
    try {
      const error = await rejects(() => log.append(batch(3)), StorageFullError);
      assert.match(error.message, 'storing a batch of 3 events in the log failed: no space left (SQLITE_FULL)');
      assert.match(error.message, 'all 3 of its events were already stored by an earlier append');
      assert.not.match(error.message, 'nothing of it was stored');
    } finally {
      free();
    }
    assert.ok((await log.append(batch(3))).every((r) => r.status === 'duplicate'), 'once space is freed they answer duplicate');
  } finally {
    await log.close();
  }
});

test('a batch with a new event whose COMMIT fails still says nothing of it was stored', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    await log.append(batch(2));
    const free = failNextCommit();
    try {
      const error = await rejects(() => log.append(batch(3)), StorageFullError);
      assert.match(error.message, 'nothing of it was stored');
    } finally {
      free();
    }
  } finally {
    await log.close();
  }
});

test.run();
