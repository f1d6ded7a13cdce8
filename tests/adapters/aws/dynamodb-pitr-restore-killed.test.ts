// A rebuild killed while DynamoDB restored its snapshot (or just after) left the table it asked for, still restoring or
// done. The next run's restore of the same snapshot into the same generation waits for that table instead of refusing
// it as "not empty" (a finished restore holds the snapshot's items) or deleting a restore in progress.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, RestoreTableToPointInTimeCommand, ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, restoredTable as table, snap, snapshots } from '../../support/pitr-restore-fixture.ts';

const test = suite('DynamoDbPitrSnapshotStore: the table a killed run was restoring');
test.before.each(() => {
  ddb.reset();
  ddb.on(ScanCommand).resolves({ Items: [{ pk: { S: 'A#DE-1' } }] });
  ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
});

test('a restore of the same snapshot still running is waited for, not asked again nor deleted', async () => {
  ddb.on(DescribeTableCommand)
    .resolvesOnce(table('CREATING', 'eventlake-balances-g1', snap.takenAt))
    .resolvesOnce(table('CREATING', 'eventlake-balances-g1', snap.takenAt))
    .resolves(table('ACTIVE', 'eventlake-balances-g1', snap.takenAt));
  await snapshots().restore(snap, 2);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
  assert.is(ddb.commandCalls(DeleteTableCommand).length, 0);
  assert.is(ddb.commandCalls(UpdateContinuousBackupsCommand)[0]!.args[0].input.TableName, 'eventlake-balances-g2');
});

test('a finished restore of the same snapshot, holding its items, is taken as it is', async () => {
  ddb.on(DescribeTableCommand).resolves(table('ACTIVE', 'eventlake-balances-g1', snap.takenAt));
  await snapshots().restore(snap, 2);
  assert.is(ddb.commandCalls(ScanCommand).length, 0);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
});

test('a table restored from another snapshot time is still refused as not empty', async () => {
  ddb.on(DescribeTableCommand).resolves(table('ACTIVE', 'eventlake-balances-g1', snap.takenAt - 60_000));
  const error = await rejects(() => snapshots().restore(snap, 2), InvalidArgumentError);
  assert.match(error.message, /not empty: restore only into a new generation/);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
});

test.run();
