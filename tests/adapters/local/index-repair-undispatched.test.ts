// repairIndex when the dispatch tail had not passed every archived event (a lifecycle run archived an event another
// process had appended and indexed but not yet dispatched: the tail stops there on every drain). The repair counts
// the archived events as dispatched, so it must say how many it cannot have been, and what applies them.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { renderIndexRepair } from '../../../cli/commands/repair.ts';
import { fixtureCopiesOf } from '../../support/fixture-copies.ts';
import { loseIndex, populatedDataDir } from '../../support/index-repair-data-dir.ts';

const test = suite('repairIndex: archived events not dispatched');
/** A copy per test of one populated data dir, built once for the file. */
const populated = fixtureCopiesOf(populatedDataDir);

/** A populated data dir whose dispatch tail stands at `position`, before most of its archived events. */
async function tailBehindArchive(position: number): Promise<string> {
  const { dir } = await populated();
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    await checkpoints.set('dispatch', position);
  } finally {
    checkpoints.close();
  }
  return dir;
}

test('a lost index: the archived events the tail cannot have passed are counted in the report', async () => {
  const dir = await tailBehindArchive(10);
  loseIndex(dir);
  const report = await repairIndex(dir);
  const [reset] = report.dispatchCheckpointsReset;
  assert.equal([reset!.before, reset!.after], [10, report.archivedThrough]);
  assert.is(reset!.archivedNotDispatched, report.archivedThrough - 10);
});

test('the lines for people warn of them and name the rebuild that applies them', async () => {
  const dir = await tailBehindArchive(10);
  loseIndex(dir);
  const lines = renderIndexRepair(await repairIndex(dir)).join('\n');
  assert.match(lines, /warning: .*at least \d+ archived events .*eventlake rebuild/);
});

test('a tail that had passed every archived event has none', async () => {
  const { dir } = await populated();
  loseIndex(dir);
  const report = await repairIndex(dir);
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.archivedNotDispatched), [0]);
  assert.not.match(renderIndexRepair(report).join('\n'), 'warning');
});

test.run();
