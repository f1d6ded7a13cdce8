// DynamoDbPitrSnapshotStore against a mocked client: the exact PITR, restore and polling requests, and error mapping.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, ExportTableToPointInTimeCommand,
  InvalidRestoreTimeException, PutItemCommand, ResourceNotFoundException, RestoreTableToPointInTimeCommand, ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const NOW = Date.parse('2024-03-01T12:00:00Z');
let now = NOW;
const snapshots = (timeoutMs = 5_000) => new DynamoDbPitrSnapshotStore({
  client, controlTableName: 'control', tableFor: (n, g) => `eventlake-${n}-g${g}`, clock: () => now, wait: { initialDelayMs: 1, timeoutMs },
});
const snap: SnapshotInfo = { id: 'balances-g1-x', projection: 'balances', generation: 1, takenAt: NOW - 3_600_000, highWaterMark: 42 };
const missing = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });
const pitr = (status: 'ENABLED' | 'DISABLED') => ({
  ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED' as const, PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: status } },
});

const test = suite('DynamoDbPitrSnapshotStore (mocked DynamoDB)');
test.before.each(() => {
  ddb.reset();
  now = NOW;
  ddb.on(PutItemCommand).resolves({});
});

test('take turns PITR on for the generation table and records the marker in the control table', async () => {
  ddb.on(DescribeContinuousBackupsCommand).resolves(pitr('DISABLED'));
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
  const info = await snapshots().take('balances', 3, 42);
  assert.equal(ddb.commandCalls(UpdateContinuousBackupsCommand)[0]!.args[0].input, {
    TableName: 'eventlake-balances-g3', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  assert.equal([info.projection, info.generation, info.takenAt, info.highWaterMark], ['balances', 3, NOW, 42]);
  const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
  assert.equal([put.TableName, put.Item!['pk'], put.Item!['sk']], ['control', { S: 'SNAP#balances' }, { S: `${String(NOW).padStart(13, '0')}#${info.id}` }]);
  assert.equal(JSON.parse(put.Item!['snapshot']!.S!), info);
});

test('take leaves PITR alone when it is already on', async () => {
  ddb.on(DescribeContinuousBackupsCommand).resolves(pitr('ENABLED'));
  await snapshots().take('balances', 1, 1);
  assert.is(ddb.commandCalls(UpdateContinuousBackupsCommand).length, 0);
});

test('restore creates the new generation table from the point in time, polls until it is ACTIVE, then turns PITR on', async () => {
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(DescribeContinuousBackupsCommand).resolves(pitr('DISABLED'));
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
  ddb.on(RestoreTableToPointInTimeCommand).resolves({});
  ddb.on(DescribeTableCommand)
    .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
    .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
    .resolves({ Table: { TableStatus: 'ACTIVE' } });
  await snapshots().restore(snap, 2);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand)[0]!.args[0].input, {
    SourceTableName: 'eventlake-balances-g1', TargetTableName: 'eventlake-balances-g2', RestoreDateTime: new Date(snap.takenAt),
  });
  assert.equal(ddb.commandCalls(DescribeTableCommand).map((c) => c.args[0].input), Array(3).fill({ TableName: 'eventlake-balances-g2' }));
  assert.equal(ddb.commandCalls(UpdateContinuousBackupsCommand)[0]!.args[0].input.TableName, 'eventlake-balances-g2');
});

test('restored tables can be encrypted with the stack\'s KMS key', async () => {
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(DescribeContinuousBackupsCommand).resolves(pitr('ENABLED'));
  ddb.on(RestoreTableToPointInTimeCommand).resolves({});
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  await new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor: (n, g) => `t-${n}-${g}`, kmsKeyArn: 'arn:kms:key' }).restore(snap, 2);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand)[0]!.args[0].input.SSESpecificationOverride, { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:kms:key' });
});

test('an existing but empty target table is deleted first, since the restore creates it', async () => {
  ddb.on(ScanCommand).resolves({ Items: [] });
  ddb.on(DescribeContinuousBackupsCommand).resolves(pitr('ENABLED'));
  ddb.on(DeleteTableCommand).resolves({});
  ddb.on(RestoreTableToPointInTimeCommand).resolves({});
  // Found (no restore of this snapshot), found again without deletion protection to lift, then gone once deleted,
  // then the restore's table.
  const active = { Table: { TableStatus: 'ACTIVE' } } as const;
  ddb.on(DescribeTableCommand).resolvesOnce(active).resolvesOnce(active).rejectsOnce(missing()).resolves(active);
  await snapshots().restore(snap, 2);
  assert.equal(ddb.commandCalls(DeleteTableCommand)[0]!.args[0].input, { TableName: 'eventlake-balances-g2' });
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 1);
});

test('a target generation that already holds items is never overwritten', async () => {
  ddb.on(ScanCommand).resolves({ Items: [{ pk: { S: 'C#x' } }] });
  await rejects(() => snapshots().restore(snap, 2), InvalidArgumentError);
  assert.is(ddb.commandCalls(RestoreTableToPointInTimeCommand).length, 0);
  assert.is(ddb.commandCalls(DeleteTableCommand).length, 0);
});

test('a snapshot newer than PITR\'s latest restorable time is a TransientError; an expired one is refused', async () => {
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(RestoreTableToPointInTimeCommand).rejects(new InvalidRestoreTimeException({ message: 'bad time', $metadata: {} }));
  await rejects(() => snapshots().restore({ ...snap, takenAt: NOW - 60_000 }, 2), TransientError);
  await rejects(() => snapshots().restore(snap, 2), InvalidArgumentError);
});

test('a restore that stays CREATING past the deadline is a TransientError', async () => {
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(RestoreTableToPointInTimeCommand).resolves({});
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'CREATING' } });
  await rejects(() => snapshots(30).restore(snap, 2), TransientError);
});

test('a snapshot can be exported to S3 at its point in time', async () => {
  ddb.on(DescribeTableCommand).resolves({ Table: { TableArn: 'arn:aws:dynamodb:eu-central-1:1:table/eventlake-balances-g1' } });
  ddb.on(ExportTableToPointInTimeCommand).resolves({ ExportDescription: { ExportArn: 'arn:export' } });
  assert.is(await snapshots().exportSnapshot(snap, 'bucket', 'verify/'), 'arn:export');
  assert.equal(ddb.commandCalls(ExportTableToPointInTimeCommand)[0]!.args[0].input, {
    TableArn: 'arn:aws:dynamodb:eu-central-1:1:table/eventlake-balances-g1', ExportTime: new Date(snap.takenAt),
    S3Bucket: 'bucket', S3Prefix: 'verify/', ExportFormat: 'DYNAMODB_JSON',
  });
});

test.run();
