// FsEventLog's public checkpoint() and remove() throw the local adapters' typed errors, never a raw errno: a full or
// failing disk is STORAGE_FULL, a file or folder this process may not use DATA_DIR_NOT_WRITABLE, each naming the
// path, what is kept and the fix; and they leave nothing half-done that running them again does not finish.

import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hotPath, dataDirLayout } from '../../../adapters/local/layout.ts';
import { DataDirNotWritableError, StorageFullError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { denyOpen, denyWrite, failFsync, failUnlinkOf, logWith } from './fs-log-errors-faults.ts';

const test = suite('FsEventLog checkpoint and remove: typed storage errors');

test('checkpoint on a full disk is STORAGE_FULL naming the data dir, what is kept and the fix; freed, it checkpoints', async () => {
  const { dir, log } = await logWith(2);
  const free = failFsync('ENOSPC');
  let error: StorageFullError;
  try {
    error = await rejects(() => log.checkpoint(), StorageFullError);
  } finally {
    free();
  }
  assert.is(error.code, 'STORAGE_FULL');
  assert.match(error.message, `checkpointing the event log (writing and syncing the files of journaled events) failed: no space left (ENOSPC) on the disk holding ${dir}`);
  assert.match(error.message, 'every stored event is kept (the journal holds it)');
  assert.match(error.message, 'Free space on that disk');
  await log.checkpoint();
  await log.close();
});

test('checkpoint that cannot open an object file is DATA_DIR_NOT_WRITABLE naming the file and the fix', async () => {
  const { dir, log, keys } = await logWith(1);
  const allow = denyOpen(dir);
  let error: DataDirNotWritableError;
  try {
    error = await rejects(() => log.checkpoint(), DataDirNotWritableError);
  } finally {
    allow();
  }
  assert.is(error.details.path, hotPath(dataDirLayout(dir), keys[0]!));
  assert.match(error.message, `${hotPath(dataDirLayout(dir), keys[0]!)} cannot be read or written (EACCES`);
  assert.match(error.message, 'the durable marker did not move');
  assert.match(error.message, 'chmod -R u+rwX');
  await log.close();
});

test('remove whose checkpoint fails on a full disk is STORAGE_FULL and removes nothing', async () => {
  const { dir, log, keys } = await logWith(2);
  const free = failFsync('ENOSPC');
  let error: StorageFullError;
  try {
    error = await rejects(() => log.remove(keys), StorageFullError);
  } finally {
    free();
  }
  assert.match(error.message, 'removing 2 object(s) from the log: the checkpoint before it failed: no space left (ENOSPC)');
  assert.match(error.message, 'nothing was removed');
  assert.ok(keys.every((k) => existsSync(hotPath(dataDirLayout(dir), k))));
  await log.close();
});

test('remove with a folder it cannot write is DATA_DIR_NOT_WRITABLE naming the folder, and removes nothing', async () => {
  const { dir, log, keys } = await logWith(2);
  const folder = dirname(hotPath(dataDirLayout(dir), keys[1]!));
  const allow = denyWrite(folder);
  let error: DataDirNotWritableError;
  try {
    error = await rejects(() => log.remove(keys), DataDirNotWritableError);
  } finally {
    allow();
  }
  assert.match(error.message, `removing 2 object(s) from the log failed: ${folder} cannot be written (EACCES`);
  assert.match(error.message, 'nothing was removed');
  assert.ok(keys.every((k) => existsSync(hotPath(dataDirLayout(dir), k))), 'every object is still there');
  await log.close();
});

test('remove failing part way names the objects removed before it; removing again finishes', async () => {
  const { dir, log, keys } = await logWith(3);
  const fix = failUnlinkOf(hotPath(dataDirLayout(dir), keys[1]!), 'EIO');
  let error: StorageFullError;
  try {
    error = await rejects(() => log.remove(keys), StorageFullError);
  } finally {
    fix();
  }
  assert.match(error.message, `removing 3 object(s) from the log failed: an I/O error (EIO)`);
  assert.match(error.message, `1 of them were removed before ${keys[1]}`);
  assert.match(error.message, 'removing them again finishes');
  await log.remove(keys);
  assert.ok(keys.every((k) => !existsSync(hotPath(dataDirLayout(dir), k))));
  await log.close();
});

test.run();
