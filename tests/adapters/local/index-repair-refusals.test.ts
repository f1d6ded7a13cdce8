// repairIndex refuses what it must not touch: a data dir another process has open (it would keep writing to the
// replaced index.db), and a path that is not a data dir (nothing is created in it).

import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { dispatchCheckpoint, indexRows, populatedDataDir } from '../../support/index-repair-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('repairIndex refusals');

test('an index.db another process holds open is refused with the fix named, and nothing changes', async () => {
  const before = await populatedDataDir();
  const other = new SqliteEventIndex(dataDirLayout(before.dir).indexDb);
  try {
    await other.count();
    const error = await rejects(() => repairIndex(before.dir), TransientError);
    assert.match(error.message, 'stop every process using the data dir first');
    assert.equal(indexRows(before.dir), before.rows);
    assert.is(await dispatchCheckpoint(before.dir), before.dispatched);
  } finally {
    other.close();
  }
});

test('a folder that is not a data dir is refused and nothing is created in it', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.txt'), 'not eventlake');
  const error = await rejects(() => repairIndex(dir), InvalidArgumentError);
  assert.match(error.message, 'is not an eventlake data dir');
  assert.equal(readdirSync(dir), ['notes.txt']);
  const missing = join(dir, 'nothing-here');
  await rejects(() => repairIndex(missing), InvalidArgumentError);
  assert.not.ok(existsSync(missing));
});

test.run();
