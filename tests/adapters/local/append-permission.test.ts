// FsEventLog.append on a file system that refuses it for another reason than a full disk (a folder it may not write,
// a read-only file system, a read-only catalogue) is all or nothing too: STORAGE_FAILED naming the path, the errno,
// that nothing was stored and the fix; after reopening nothing of the batch is found, and sending it again stores it.
// A test seam's plain Error after the journal fsync still acts as a crash: the journal keeps the batch.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { StorageError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { depositNo, failNextCommit } from './append-disk-full-faults.ts';
import { failOnce, inHourFolder, unsearchableHourFolder } from './append-permission-faults.ts';

const test = suite('FsEventLog append refused by the file system');

const batch = (n: number) => Array.from({ length: n }, (_, i) => depositNo(i));

/** Append a batch of 4 while `inject()` is in force; returns the error, after checking a reopened log holds none of it. */
async function failedAppend(inject: () => () => void): Promise<StorageError> {
  const dir = tempDir();
  let log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const restore = inject();
  let error: StorageError;
  try {
    error = await rejects(() => log.append(batch(4)), StorageError);
  } finally {
    restore();
  }
  await log.close();
  log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    assert.is((await log.recover()).rematerialized, 0, 'recovery re-creates nothing of the batch');
    assert.equal((await log.journalSince(0)).entries, [], 'no journal line of the batch');
    const keys: string[] = [];
    for await (const o of log.list('')) keys.push(o.key);
    assert.equal(keys, [], 'no object of the batch');
    assert.equal((await log.append(batch(4))).map((r) => r.status), Array(4).fill('stored'), 'sending it again stores it');
  } finally {
    await log.close();
  }
  return error;
}

test('EACCES creating the hour folder of a batch object stores nothing, and the error names the folder, the errno and the fix', async () => {
  const error = await failedAppend(() => failOnce('mkdirSync', 'EACCES', inHourFolder));
  assert.is(error.code, 'STORAGE_FAILED');
  assert.match(error.message, /storing a batch of 4 events in the log failed: EACCES \(permission denied, mkdir\) on \S+hour=\d\d; nothing of it was stored\. /);
  assert.match(error.message, /is owned by uid \d+, the uid eventlake runs as, so its mode refuses it: give the owner read and write on the data dir \(chmod -R u\+rwX\)/);
});

test('EACCES in a folder owned by another uid than the one eventlake runs as says to run as the owner or chown it', async () => {
  const getuid = process.getuid;
  // Not root-free otherwise: a folder of another owner needs chown. The owner is ours, so claim to run as another.
  process.getuid = () => 4242;
  try {
    const error = await failedAppend(() => failOnce('mkdirSync', 'EACCES', inHourFolder));
    assert.match(error.message, /\S+ is owned by uid \d+ and eventlake runs as uid 4242: run as the data dir's owner or chown -R it to uid 4242, then/);
  } finally {
    process.getuid = getuid;
  }
});

test('EACCES creating an hour folder in a folder it may not even search stores nothing: no object of it is unlinked', async () => {
  const error = await failedAppend(unsearchableHourFolder);
  assert.match(error.message, /failed: EACCES \(permission denied, mkdir\) on \S+hour=\d\d; nothing of it was stored\. /);
});

test('EACCES writing a batch object stores nothing, and the error names the object file and says nothing was stored', async () => {
  const error = await failedAppend(() => failOnce('openSync', 'EACCES', inHourFolder));
  assert.match(error.message, /failed: EACCES \(permission denied, open\) on \S+hour=\d\d[/\\]\S+\.ndjson; nothing of it was stored\. /);
});

test('EROFS at the journal fdatasync stores nothing, and the error says the data dir is on a read-only file system', async () => {
  const error = await failedAppend(() => failOnce('fdatasyncSync', 'EROFS'));
  assert.match(error.message, /failed: EROFS \(read-only file system, fdatasync\) on \S+journal; /);
  assert.match(error.message, 'nothing of it was stored');
  assert.match(error.message, /the data dir is on a read-only file system/i);
});

test('a catalogue COMMIT refused with SQLITE_READONLY stores nothing, and the error names the catalogue', async () => {
  const error = await failedAppend(() => failNextCommit(undefined, { code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' }));
  assert.match(error.message, /failed: SQLITE_READONLY \(attempt to write a readonly database\) on \S+catalogue\.db; /);
  assert.match(error.message, 'nothing of it was stored');
});

test('a plain Error thrown by the afterJournal seam still acts as a crash: the journal keeps the batch, which is stored', async () => {
  const dir = tempDir();
  let crash = true;
  class Crash extends Error {}
  let log = await FsEventLog.open(dir, { checkpointEvery: 0, afterJournal: () => { if (crash) throw new Crash('simulated crash after the journal fsync'); } });
  try {
    await rejects(() => log.append(batch(4)), Crash);
  } finally {
    crash = false;
    await log.close();
  }
  log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    assert.is((await log.journalSince(0)).entries.length, 4, 'the journal holds the batch');
    assert.equal((await log.append(batch(4))).map((r) => r.status), Array(4).fill('duplicate'));
  } finally {
    await log.close();
  }
});

test.run();
