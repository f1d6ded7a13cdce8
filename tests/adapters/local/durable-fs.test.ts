// durable-fs: the file primitives of the local log (write-once publication of complete files).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOnce, createReserved } from '../../../adapters/local/durable-fs.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('durable-fs');

test('createReserved publishes the whole file under its name and leaves no temp file', () => {
  const dir = tempDir();
  createReserved(join(dir, 'object.ndjson'), Buffer.from('{"a":1}\n'));
  assert.equal(readdirSync(dir), ['object.ndjson']);
  assert.is(readFileSync(join(dir, 'object.ndjson'), 'utf8'), '{"a":1}\n');
});

test('createOnce leaves a name that is taken untouched', () => {
  const dir = tempDir();
  assert.is(createOnce(join(dir, 'x'), 'first'), 'created');
  assert.is(createOnce(join(dir, 'x'), 'second'), 'exists');
  assert.equal([readFileSync(join(dir, 'x'), 'utf8'), readdirSync(dir)], ['first', ['x']]);
});

test.run();
