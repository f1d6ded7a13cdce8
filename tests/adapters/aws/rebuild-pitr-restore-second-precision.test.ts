// A snapshot marker's time has milliseconds (the clock's), but DynamoDB restores a table to the second and its
// DescribeTable's RestoreSummary may report the restore's time so. A restore of the plan's snapshot reported that way is
// still this snapshot's: the next run adopts it, instead of calling it another snapshot's (TRANSIENT while it runs,
// then dropped and restored all over again).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { ddb, G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, snap, world } from './pitr-rebuild-fake.ts';

const taken = snap.takenAt + 250;
const withMs: RebuildPlan = { ...plan, snapshot: { ...snap, id: 'balances-g1-ms', takenAt: taken } };

const test = suite('rebuild: a PITR restore whose time DynamoDB reports to the second');
test.before.each(resetWorld);

test('a restore of the plan\'s snapshot reported without the marker\'s milliseconds is adopted', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  killedDuringRestore(positions, taken - 250);
  setTimeout(() => restored(G2), 20);
  const report = await rebuilder.rebuild(withMs);
  assert.equal([report.generation, report.resumed, world.dropped], [2, true, []]);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
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
