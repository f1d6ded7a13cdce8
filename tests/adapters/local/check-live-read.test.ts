// An object the check's walk listed and a process then removed or moved (an archive run compacting or archiving its
// hour) is no lost event: the check stops with TRANSIENT, saying to run it again, instead of a bare ENOENT.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCopy } from '../../../adapters/local/log-check-files.ts';
import { TransientError } from '../../../domain/errors.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('readCopy of an object gone since the walk');

test('an object removed since the walk listed it is a TransientError naming it and the fix', () => {
  const path = join(tempDir(), 'batch-0000000000000.ndjson');
  try {
    readCopy(path);
    assert.unreachable('read an absent object');
  } catch (error) {
    assert.instance(error, TransientError);
    assert.is((error as TransientError).code, 'TRANSIENT');
    assert.match((error as Error).message, path);
    assert.match((error as Error).message, 'run the check again');
  }
});

test.run();
