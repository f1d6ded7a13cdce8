// The lost-index guard on a path that is no folder: it passes (the caller refuses such a path in its own words)
// instead of throwing a raw ENOTDIR from the stat of index.db under a file.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { refuseLostIndex } from '../../../adapters/local/lost-index-guard.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('refuseLostIndex: a data dir path that is no folder');

test('a data dir that is a file passes the guard without a raw ENOTDIR', () => {
  const file = join(tempDir(), 'notes.txt');
  writeFileSync(file, 'mine');
  assert.not.throws(() => refuseLostIndex(dataDirLayout(file)));
});

test('a data dir under a file passes the guard without a raw ENOTDIR', () => {
  const file = join(tempDir(), 'notes.txt');
  writeFileSync(file, 'mine');
  assert.not.throws(() => refuseLostIndex(dataDirLayout(join(file, 'lake'))));
});

test.run();
