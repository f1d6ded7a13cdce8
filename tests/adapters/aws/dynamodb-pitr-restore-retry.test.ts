// A snapshot restore (RestoreTableToPointInTime) whose answer was lost on the connection is sent again (by the SDK or by
// withRetries, which retries lost connections since b655278); when the first request landed, the retry fails with
// TableAlreadyExistsException. The table then is the restore it asked for (restored from the snapshot's table at its
// time), so the restore waits for it instead of failing a rebuild whose generation is being filled as asked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, RestoreTableToPointInTimeCommand, ScanCommand,
  ResourceNotFoundException, TableAlreadyExistsException, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, restoredTable, snap, snapshots } from '../../support/pitr-restore-fixture.ts';

const hangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const restoredFrom = (source: string, at: number) => restoredTable('ACTIVE', source, at);

const test = suite('DynamoDbPitrSnapshotStore: a restore whose answer was lost');
test.before.each(() => {
  ddb.reset();
  ddb.on(ScanCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
  ddb.on(RestoreTableToPointInTimeCommand).rejectsOnce(hangUp()).rejects(new TableAlreadyExistsException({ message: 'Table already exists: eventlake-balances-g2', $metadata: {} }));
});

test('a retried restore that finds the table restored from the snapshot at its time waits for it and turns PITR on', async () => {
  ddb.on(DescribeTableCommand).rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} })).resolves(restoredFrom('eventlake-balances-g1', snap.takenAt));
  await snapshots().restore(snap, 2);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 2);
  assert.is(ddb.commandCalls(UpdateContinuousBackupsCommand)[0]!.args[0].input.TableName, 'eventlake-balances-g2');
});

test('a retried restore that finds a table restored from elsewhere still fails', async () => {
  ddb.on(DescribeTableCommand).resolves(restoredFrom('eventlake-balances-g7', snap.takenAt));
  await rejects(() => snapshots().restore(snap, 2), StorageError);
  assert.is(ddb.commandCalls(UpdateContinuousBackupsCommand).length, 0);
});

test.run();
