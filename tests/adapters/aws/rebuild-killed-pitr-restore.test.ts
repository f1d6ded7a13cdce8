// A rebuild on AWS killed while DynamoDB restored its snapshot (a Lambda timeout, SIGKILL of a CLI run) left the
// generation it started without a checkpoint and its table CREATING for up to hours. The next run adopts that restore
// when it is the plan's snapshot (waits for it, asks for no other, drops nothing), refuses to touch one of another
// snapshot while it runs, and the rebuild function answers `restoring` while a restore outlasts its invocation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteTableCommand, RestoreTableToPointInTimeCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { coordinatorRebuild, RESTORE_MARGIN_MS } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { TransientError } from '../../../domain/errors.ts';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { checkpointOf, ddb, G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, snap, world } from './pitr-rebuild-fake.ts';

let positions: Map<string, number>;
function coordinator(): RebuildCoordinator {
  const made = pitrCoordinator();
  positions = made.positions;
  return made.rebuilder;
}

const test = suite('rebuild: a PITR snapshot restore a killed run left behind');
test.before.each(resetWorld);

test('the next run waits for the restore of its plan\'s snapshot, asks for no other, drops nothing, and fills that generation', async () => {
  const rebuilder = coordinator();
  killedDuringRestore(positions);
  setTimeout(() => restored(G2), 20);
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, report.resumed], [2, true]);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
  assert.is(ddb.commandCalls(DeleteTableCommand).length, 0);
  assert.equal(world.dropped, []);
  assert.is(world.latest, 2, 'no other generation was handed out');
  // A restored table does not inherit PITR: the adopted one is made snapshottable as a restore this run asked for is.
  assert.equal(ddb.commandCalls(UpdateContinuousBackupsCommand)[0]?.args[0].input, { TableName: G2, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  assert.equal([checkpointOf(G2)?.phase, checkpointOf(G2)?.snapshotId], ['finished', snap.id]);
});

test('a run killed after the restore was done, before its first checkpoint, is adopted too, though the table holds the checkpoint it copied', async () => {
  const rebuilder = coordinator();
  killedDuringRestore(positions);
  restored(G2);
  // The snapshot's generation was a rebuild's (since promoted): the restore copied its checkpoint with its items.
  const copied = { planKey: 'an earlier plan', snapshotId: null, replayedThrough: 10, phase: 'promoted' };
  world.tables.get(G2)!.items.set('M#checkpoint', { pk: { S: 'M#checkpoint' }, json: { S: JSON.stringify(copied) } });
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, report.resumed, world.latest], [2, true, 2]);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
  assert.equal([checkpointOf(G2)?.phase, checkpointOf(G2)?.snapshotId], ['finished', snap.id]);
});

test('a generation still being restored from another snapshot is refused with TRANSIENT naming the fix, neither dropped nor restored over', async () => {
  const rebuilder = coordinator();
  killedDuringRestore(positions, snap.takenAt - 60_000);
  const error = await rejects(() => rebuilder.rebuild(plan), TransientError);
  assert.is(error.code, 'TRANSIENT');
  assert.match(error.message, `balances generation 2 is being restored from another snapshot than this plan's (${snap.id}) into table ${G2}`);
  assert.match(error.message, `run this rebuild again once that restore is done (table ${G2} is ACTIVE`);
  assert.is(ddb.commandCalls(DeleteTableCommand).length, 0);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
  assert.is(world.latest, 2);
});

test('a generation whose restore of another snapshot is done is dropped, and the plan\'s snapshot restored into a new one', async () => {
  const rebuilder = coordinator();
  killedDuringRestore(positions, snap.takenAt - 60_000);
  restored(G2);
  setTimeout(() => restored('eventlake-balances-g3'), 20);
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, report.resumed, world.dropped], [3, false, [2]]);
  assert.equal(ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input), [{ TableName: G2 }]);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input), [
    { SourceTableName: 'eventlake-balances-g1', TargetTableName: 'eventlake-balances-g3', RestoreDateTime: new Date(snap.takenAt) },
  ]);
});

test('the rebuild function answers restoring while its restore outlasts the invocation, and the next invocation adopts that restore', async () => {
  const real = coordinator();
  const rebuild = coordinatorRebuild({
    plan: async () => plan, rebuild: real.rebuild.bind(real),
    verify: async (projection, generation) => ({ projection, generation, against: 'log', reference: 'stub', mark: 42, passed: true, accounts: 0, rows: 0, differences: [] }),
    promote: async (projection, generation) => ({ projection, generation, previous: 1, toppedUp: 0 }),
  });
  const request = { projection: 'balances', from: snap.takenAt, dryRun: false };
  // 30 ms left to wait for restores once the margin for answering is kept.
  const budget = { remainingMs: () => RESTORE_MARGIN_MS + 30 };
  const first = await rebuild(request, budget) as { status: string; message: string };
  assert.is(first.status, 'restoring');
  assert.match(first.message, `snapshot ${snap.id} still restoring into table ${G2} after 30 ms`);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input), [
    { SourceTableName: 'eventlake-balances-g1', TargetTableName: G2, RestoreDateTime: new Date(snap.takenAt) },
  ]);
  restored(G2);
  const second = await rebuild(request, budget) as { status: string; built: { generation: number; resumed: boolean } };
  assert.equal([second.status, second.built.generation, second.built.resumed], ['promoted', 2, true]);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 1, 'the restore was asked for once');
  assert.is(ddb.commandCalls(DeleteTableCommand).length, 0);
});

test.run();
