// Recovery at open meeting an event file this process may not read (a write run as root left it 0600): a typed
// DataDirNotWritableError naming the file, its owner and the fix (it was a raw EACCES from readIfExists with a stack).

import { dirname } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { DataDirNotWritableError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';
import { dataDirWithTornObject } from './loose-disk-full-faults.ts';
import { failFs, fakeUids } from './open-readonly-faults.ts';

const test = suite('recovering a log whose event file another user owns');

test('recovery meeting EACCES on an event file throws DataDirNotWritableError naming the file, its owner and the fix', async () => {
  const { dir, object } = await dataDirWithTornObject();
  const root = dataDirLayout(dir).root;
  const undo = [failFs('readFileSync', 'EACCES', (p) => p === object), fakeUids(1000, (p) => (p === object ? 0 : 1000))];
  try {
    const log = new FsEventLog(dir, { checkpointEvery: 0 });
    const error = await rejects(() => log.recover(), DataDirNotWritableError).finally(() => log.close());
    assert.is(error.details.path, object);
    assert.match(error.message, /^recovering the event log \(settling the file of events\/.+\) failed: /);
    assert.match(error.message, `${object} cannot be read or written (EACCES: it belongs to uid 0 and eventlake runs as uid 1000)`);
    assert.match(error.message, 'the journal keeps every stored event');
    assert.match(error.message, `give its files back to their owner as root (chown -R 1000 ${root})`);
  } finally {
    for (const u of undo) u();
  }
});

test('opening a log whose events folder cannot be made (EACCES) throws DataDirNotWritableError naming the folder', async () => {
  const { events } = dataDirLayout(tempDir());
  const undo = failFs('mkdirSync', 'EACCES', (p) => p === events);
  const error = await rejects(() => FsEventLog.open(dirname(events)), DataDirNotWritableError).finally(undo);
  assert.is(error.details.path, events);
  assert.match(error.message, `opening the event log of ${dirname(events)} failed: ${events} cannot be read or written (EACCES`);
});

test.run();
