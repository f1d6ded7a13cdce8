// FsEventLog's close (its checkpoint) and its recovery at open on a full disk: STORAGE_FULL saying the events are
// stored and that the checkpoint runs again at the next open (they threw a raw ENOSPC / SQLITE_FULL), and a close
// that fails still releases the catalogue.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { LogCheckpoints } from '../../../adapters/local/log-checkpoints.ts';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { depositNo, enospc } from './append-disk-full-faults.ts';
import { dataDirWithTornObject, failTempRenames } from './loose-disk-full-faults.ts';

const test = suite('FsEventLog close and recovery on a full disk');

/** Make the log's next checkpoints fail with ENOSPC until the returned function ("free space"). */
function failCheckpoints(): () => void {
  const run = LogCheckpoints.prototype.run;
  LogCheckpoints.prototype.run = () => Promise.reject(enospc('write'));
  return () => {
    LogCheckpoints.prototype.run = run;
  };
}

test('a close whose checkpoint fails on a full disk is STORAGE_FULL saying the events are kept and it runs again at the next open', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  await log.append([depositNo(0)]);
  const free = failCheckpoints();
  try {
    const error = await rejects(() => log.close(), StorageFullError);
    assert.is(error.where, log.layout.root);
    assert.match(error.message, `checkpointing the event log on close failed: no space left (ENOSPC) on the disk holding ${log.layout.root}`);
    assert.match(error.message, 'every stored event is kept (the journal holds it); the checkpoint that writes their files runs again at the next open');
  } finally {
    free();
  }
  const again = await FsEventLog.open(dir, { checkpointEvery: 0 });
  assert.is((await again.journalSince(0)).entries.length, 1, 'the event is still there');
  await again.close();
});

test('a close whose checkpoint fails still closes the log catalogue', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  await log.append([depositNo(0)]);
  const close = SqliteLogCatalogue.prototype.close;
  let closed = 0;
  SqliteLogCatalogue.prototype.close = function (this: SqliteLogCatalogue) {
    closed++;
    close.call(this);
  };
  const free = failCheckpoints();
  try {
    await rejects(() => log.close(), StorageFullError);
  } finally {
    free();
    SqliteLogCatalogue.prototype.close = close;
  }
  assert.is(closed, 1);
});

test('a recovery at open that fails on a full disk is STORAGE_FULL saying the events are kept', async () => {
  const { dir } = await dataDirWithTornObject();
  const free = failTempRenames();
  try {
    const error = await rejects(() => FsEventLog.open(dir, { checkpointEvery: 0 }), StorageFullError);
    assert.match(error.message, /^recovering the event log \(re-creating the files of journaled events\) failed: no space left \(ENOSPC\) on the disk holding /);
    assert.match(error.message, 'every stored event is kept (the journal holds it)');
  } finally {
    free();
  }
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  assert.is((await log.journalSince(0)).entries.length, 2, 'once space is freed, both events are read');
  await log.close();
});

test.run();
