// A snapshot marker's time may have milliseconds (markers of older versions), but DynamoDB restores a table to the
// second. The only restore of such a marker that is this snapshot's is one at its next whole second (restoreTime: a
// later state is safe, replay skips what it holds); a restore at the second before may lack events applied in that
// part-second, which the mark counts, so it is another snapshot's: dropped once done, and restored again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { ddb, G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, snap, world } from './pitr-rebuild-fake.ts';

const taken = snap.takenAt + 250;
const withMs: RebuildPlan = { ...plan, snapshot: { ...snap, id: 'balances-g1-ms', takenAt: taken } };

const test = suite('rebuild: PITR restores of a marker with milliseconds');
test.before.each(() => {
  resetWorld();
  world.markers = [withMs.snapshot!]; // the marker the plan was made from is the store's
});

test('a restore of the plan\'s snapshot at its next whole second is adopted', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  killedDuringRestore(positions, taken - 250 + 1_000);
  setTimeout(() => restored(G2), 20);
  const report = await rebuilder.rebuild(withMs);
  assert.equal([report.generation, report.resumed, world.dropped], [2, true, []]);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
});

test('a finished restore at the second before the marker\'s time is dropped and the snapshot restored at its next second', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  killedDuringRestore(positions, taken - 250);
  restored(G2);
  setTimeout(() => restored('eventlake-balances-g3'), 20);
  const report = await rebuilder.rebuild(withMs);
  assert.equal([report.generation, report.resumed, world.dropped], [3, false, [2]]);
  const sent = ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input.RestoreDateTime?.getTime());
  assert.equal(sent, [taken - 250 + 1_000]);
});

test('a restore reported at another second is another snapshot\'s', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  killedDuringRestore(positions, taken - 1_250);
  restored(G2);
  setTimeout(() => restored('eventlake-balances-g3'), 20);
  const report = await rebuilder.rebuild(withMs);
  assert.equal([report.generation, report.resumed, world.dropped], [3, false, [2]]);
});

test.run();
