// Recovery repairing a torn object on a full disk leaves no temp file (it left one when the rename failed, which
// `check` then reported as left by a crash).

import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { rejects } from '../../support/async.ts';
import { dataDirWithTornObject, failTempRenames, tempFilesUnder } from './loose-disk-full-faults.ts';

const test = suite('settling a torn object on a full disk');

test('a torn batch object whose replacement cannot be renamed into place leaves no temp file', async () => {
  const { dir, object, bytes } = await dataDirWithTornObject();
  const log = new FsEventLog(dir, { checkpointEvery: 0 });
  const free = failTempRenames();
  try {
    await rejects(() => log.recover(), Error);
  } finally {
    free();
  }
  assert.equal(tempFilesUnder(dir), [], 'no temp file left');
  await log.recover();
  await log.close();
  assert.ok(readFileSync(object).equals(bytes), 'once space is freed, recovery repairs the object');
});

test.run();
