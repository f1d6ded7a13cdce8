// Disk failures (ENOSPC, EDQUOT, EIO, SQLITE_FULL, SQLITE_IOERR*) become a StorageFullError naming where and the fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageFullError } from '../../../domain/errors.ts';
import { asStorageFull, isDiskFailure } from '../../../adapters/local/storage-full.ts';
import { StorageFullError as Exported } from '../../../index.ts';

const coded = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

test('ENOSPC, EDQUOT, EIO, SQLITE_FULL and extended SQLITE_IOERR codes are disk failures; others are not', () => {
  assert.equal(['ENOSPC', 'EDQUOT', 'EIO', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR'].map((c) => isDiskFailure(coded(c))), [true, true, true, true, true, true]);
  assert.equal(['EACCES', 'ENOENT', 'SQLITE_BUSY', 'SQLITE_CORRUPT'].map((c) => isDiskFailure(coded(c))), [false, false, false, false]);
  assert.is(isDiskFailure(new Error('plain')), false);
  assert.is(isDiskFailure(null), false);
});

test('a disk failure becomes a StorageFullError with code STORAGE_FULL naming what, where, what was kept and the fix', () => {
  const out = asStorageFull(coded('ENOSPC'), 'appending 3 events to the log', '/data/journal/ingest.log', 'nothing of it was stored');
  assert.instance(out, StorageFullError);
  const error = out as StorageFullError;
  assert.is(error.code, 'STORAGE_FULL');
  assert.is(error.where, '/data/journal/ingest.log');
  assert.is(error.message, 'appending 3 events to the log failed: no space left (ENOSPC) on the disk holding /data/journal/ingest.log; nothing of it was stored. ' +
    'Free space on that disk (or fix the device), then run the same operation again');
  assert.match((asStorageFull(coded('SQLITE_IOERR_WRITE'), 'x', 'y', 'z') as Error).message, 'an I/O error (SQLITE_IOERR_WRITE)');
  // A -shm file that cannot grow is what a full disk looks like when opening a WAL database.
  assert.match((asStorageFull(coded('SQLITE_IOERR_SHMSIZE'), 'x', 'y', 'z') as Error).message, 'no space left (SQLITE_IOERR_SHMSIZE)');
});

test('any other error is returned as it is, and a StorageFullError is not wrapped twice', () => {
  const other = coded('EACCES');
  assert.is(asStorageFull(other, 'x', 'y', 'z'), other);
  const full = new StorageFullError('w', 'm');
  assert.is(asStorageFull(full, 'x', 'y', 'z'), full);
});

test('StorageFullError is exported from eventlake, so callers can branch on it', () => {
  assert.is(Exported, StorageFullError);
});

test.run();
