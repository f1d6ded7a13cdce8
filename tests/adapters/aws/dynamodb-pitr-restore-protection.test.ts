// A generation table restored from a PITR snapshot under the lake key gets deletion protection, as the generation
// tables the stack and the lake create have: RestoreTableToPointInTime has no field for it, so an UpdateTable follows
// once the table is ACTIVE; dropping it, or clearing an empty protected target before a restore, lifts it first.
// Mocked DynamoDB (DynamoDB Local has no PITR restore), one simulated table state the commands act on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ResourceNotFoundException,
  RestoreTableToPointInTimeCommand, ScanCommand, UpdateContinuousBackupsCommand, UpdateItemCommand, UpdateTableCommand,
  type RestoreTableToPointInTimeCommandInput, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';

const KEY = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NOW = Date.parse('2024-03-01T12:00:00Z');
const snap: SnapshotInfo = { id: 'balances-g1-x', projection: 'balances', generation: 1, takenAt: NOW - 3_600_000, highWaterMark: 42 };
const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const tableFor = (n: string, g: number) => `bank-${n}-g${g}`;

interface Table { protected: boolean; restoredFrom?: string }

/** DynamoDB's tables as the commands leave them (all ACTIVE at once), and the changes sent, in order. */
function simulatedDynamoDb(initial: Record<string, Table> = {}): string[] {
  const tables = new Map(Object.entries(initial));
  const calls: string[] = [];
  const missing = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
  ddb.on(ScanCommand).callsFake((input: { TableName: string }) => { if (!tables.has(input.TableName)) throw missing(); return { Items: [] }; });
  ddb.on(DescribeTableCommand).callsFake((input: { TableName: string }) => {
    const table = tables.get(input.TableName);
    if (!table) throw missing();
    const RestoreSummary = table.restoredFrom ? { SourceTableArn: `arn:aws:dynamodb:eu-central-1:111122223333:table/${table.restoredFrom}`, RestoreDateTime: new Date(snap.takenAt), RestoreInProgress: false } : undefined;
    return { Table: { TableName: input.TableName, TableStatus: 'ACTIVE', DeletionProtectionEnabled: table.protected, ...(RestoreSummary ? { RestoreSummary } : {}) } };
  });
  ddb.on(RestoreTableToPointInTimeCommand).callsFake((input: RestoreTableToPointInTimeCommandInput) => {
    calls.push(`RestoreTableToPointInTime ${input.TargetTableName}`);
    tables.set(input.TargetTableName!, { protected: false, restoredFrom: input.SourceTableName! });
    return {};
  });
  ddb.on(UpdateTableCommand).callsFake((input: UpdateTableCommandInput) => {
    calls.push(`UpdateTable ${input.TableName} DeletionProtectionEnabled=${input.DeletionProtectionEnabled}`);
    tables.get(input.TableName!)!.protected = input.DeletionProtectionEnabled === true;
    return {};
  });
  ddb.on(DeleteTableCommand).callsFake((input: { TableName: string }) => {
    if (tables.get(input.TableName)?.protected) throw Object.assign(new Error('Resource cannot be deleted as it is currently protected against deletion'), { name: 'ValidationException' });
    calls.push(`DeleteTable ${input.TableName}`);
    tables.delete(input.TableName);
    return {};
  });
  ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  ddb.on(UpdateContinuousBackupsCommand).callsFake((input: { TableName: string }) => { calls.push(`UpdateContinuousBackups ${input.TableName}`); return {}; });
  ddb.on(GetItemCommand).resolves({ Item: { live: { N: '1' } } });
  ddb.on(UpdateItemCommand).resolves({});
  return calls;
}

const snapshots = (options: { kmsKeyArn?: string; deletionProtection?: boolean } = { kmsKeyArn: KEY }) =>
  new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor, clock: () => NOW, wait: { initialDelayMs: 1, timeoutMs: 5_000 }, ...options });

const test = suite('PITR restores: deletion protection of the restored generation');
test.before.each(() => { ddb.reset(); });

test('a restore under the lake key asks for the table as before, then turns deletion protection on once it is ACTIVE and under PITR', async () => {
  const calls = simulatedDynamoDb();
  await snapshots().restore(snap, 2);
  assert.equal(ddb.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input), [{
    SourceTableName: 'bank-balances-g1', TargetTableName: 'bank-balances-g2', RestoreDateTime: new Date(snap.takenAt),
    SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY },
  }]);
  assert.equal(ddb.commandCalls(UpdateTableCommand).map((c) => c.args[0].input), [{ TableName: 'bank-balances-g2', DeletionProtectionEnabled: true }]);
  assert.equal(calls, ['RestoreTableToPointInTime bank-balances-g2', 'UpdateContinuousBackups bank-balances-g2', 'UpdateTable bank-balances-g2 DeletionProtectionEnabled=true']);
});

test('without the lake key (tests, DynamoDB Local, scratch tables), or with deletionProtection: false, a restored table is left unprotected', async () => {
  for (const options of [{}, { kmsKeyArn: KEY, deletionProtection: false }]) {
    ddb.reset();
    simulatedDynamoDb();
    await snapshots(options).restore(snap, 2);
    assert.is(ddb.commandCalls(UpdateTableCommand).length, 0, JSON.stringify(options));
  }
});

test('a restore a killed run left, protected already, is adopted without another UpdateTable', async () => {
  const calls = simulatedDynamoDb({ 'bank-balances-g2': { protected: true, restoredFrom: 'bank-balances-g1' } });
  await snapshots().restore(snap, 2);
  assert.equal(calls, ['UpdateContinuousBackups bank-balances-g2']);
});

test('a restored, protected generation is dropped: dropGeneration turns its protection off before DeleteTable', async () => {
  const calls = simulatedDynamoDb();
  await snapshots().restore(snap, 2);
  await new DynamoDbProjectionStore({ client, controlTableName: 'control', tablePrefix: 'bank' }).dropGeneration('balances', 2);
  assert.equal(calls.slice(-3), ['UpdateTable bank-balances-g2 DeletionProtectionEnabled=true', 'UpdateTable bank-balances-g2 DeletionProtectionEnabled=false', 'DeleteTable bank-balances-g2']);
});

test('an empty, protected table in the restore\'s place (one the lake created under its key) has its protection lifted, then is replaced', async () => {
  const calls = simulatedDynamoDb({ 'bank-balances-g2': { protected: true } });
  await snapshots().restore(snap, 2);
  assert.equal(calls.slice(0, 3), ['UpdateTable bank-balances-g2 DeletionProtectionEnabled=false', 'DeleteTable bank-balances-g2', 'RestoreTableToPointInTime bank-balances-g2']);
});

test.run();
