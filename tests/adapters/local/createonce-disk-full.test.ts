// durable-fs on a full disk: a write that fails part way leaves no temp file behind (check would report it a crash's).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs, { readdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { createOnce, createReserved, replaceDurably } from '../../../adapters/local/durable-fs.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('durable-fs on a full disk');

/** Run `fn` while every fs.writeSync writes one byte, then fails with ENOSPC (a disk that fills mid-write). */
function withFullDisk(fn: () => void): unknown {
  const original = fs.writeSync;
  let written = 0;
  fs.writeSync = ((fd: number, buffer: Buffer, offset: number) => {
    if (written++ > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return original(fd, buffer, offset, 1);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    fs.writeSync = original;
    syncBuiltinESMExports();
  }
}

test('createOnce that fails to write its temp file leaves no file in the folder', () => {
  const dir = tempDir();
  const error = withFullDisk(() => createOnce(join(dir, 'object.ndjson'), '{"a":1}\n'));
  assert.is((error as { code?: string }).code, 'ENOSPC');
  assert.equal(readdirSync(dir), []);
});

test('createReserved that fails to write its temp file leaves no file in the folder', () => {
  const dir = tempDir();
  const error = withFullDisk(() => createReserved(join(dir, 'object.ndjson'), '{"a":1}\n'));
  assert.is((error as { code?: string }).code, 'ENOSPC');
  assert.equal(readdirSync(dir), []);
});

test('replaceDurably that fails to write its temp file leaves the old file alone and no temp file', () => {
  const dir = tempDir();
  fs.writeFileSync(join(dir, 'marker'), 'old');
  const error = withFullDisk(() => replaceDurably(join(dir, 'marker'), 'new bytes'));
  assert.is((error as { code?: string }).code, 'ENOSPC');
  assert.equal(readdirSync(dir), ['marker']);
  assert.is(fs.readFileSync(join(dir, 'marker'), 'utf8'), 'old');
});

test.run();
