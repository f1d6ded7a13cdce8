// Generation tables a deployed lake creates (under the lake key) get deletion protection, as the stack's generation 1
// has; dropping one on purpose (`generations drop`, a rebuild's scratch) turns it off first. Mocked DynamoDB.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ResourceNotFoundException, UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { createTableInput, ensureTable } from '../../../adapters/aws/dynamodb-tables.ts';
import { PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';

const KEY = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);

/** One table as DynamoDB keeps it: CreateTable's protection, which DeleteTable honours until UpdateTable lifts it. */
function simulatedDynamoDb(): string[] {
  const calls: string[] = [];
  let table: { protected: boolean } | undefined;
  ddb.on(CreateTableCommand).callsFake((input: { TableName: string; DeletionProtectionEnabled?: boolean }) => {
    table = { protected: input.DeletionProtectionEnabled === true };
    calls.push(`CreateTable ${input.TableName} DeletionProtectionEnabled=${input.DeletionProtectionEnabled}`);
    return {};
  });
  ddb.on(DescribeTableCommand).callsFake(() => {
    if (!table) throw new ResourceNotFoundException({ message: 'gone', $metadata: {} });
    return { Table: { TableStatus: 'ACTIVE', DeletionProtectionEnabled: table.protected } };
  });
  ddb.on(UpdateTableCommand).callsFake((input: { DeletionProtectionEnabled?: boolean }) => {
    calls.push(`UpdateTable DeletionProtectionEnabled=${input.DeletionProtectionEnabled}`);
    table = { protected: input.DeletionProtectionEnabled ?? false };
    return {};
  });
  ddb.on(DeleteTableCommand).callsFake((input: { TableName: string }) => {
    if (table?.protected) throw new Error('Resource cannot be deleted as it is currently protected against deletion');
    calls.push(`DeleteTable ${input.TableName}`);
    table = undefined;
    return {};
  });
  ddb.on(GetItemCommand).resolves({ Item: { live: { N: '1' } } });
  ddb.on(UpdateItemCommand).resolves({});
  return calls;
}

const test = suite('generation tables: deletion protection');
test.before.each(() => { ddb.reset(); });

test('a table created under the lake key is created with deletion protection; without a key (tests, DynamoDB Local) it is not', () => {
  assert.is(createTableInput('bank-balances-g2', PROJECTION_TABLE, { kmsKeyArn: KEY }).DeletionProtectionEnabled, true);
  assert.is(createTableInput('t-balances-g2', PROJECTION_TABLE).DeletionProtectionEnabled, false);
  assert.is(createTableInput('bank-balances-g2', PROJECTION_TABLE, { kmsKeyArn: KEY, deletionProtection: false }).DeletionProtectionEnabled, false);
});

test('a protected generation the lake created is dropped by lifting its protection (UpdateTable) before DeleteTable', async () => {
  const calls = simulatedDynamoDb();
  await ensureTable(client, 'bank-balances-g2', PROJECTION_TABLE, { kmsKeyArn: KEY, pointInTimeRecovery: false, initialDelayMs: 1 });
  await new DynamoDbProjectionStore({ client, controlTableName: 'control', tablePrefix: 'bank' }).dropGeneration('balances', 2);
  assert.equal(calls, ['CreateTable bank-balances-g2 DeletionProtectionEnabled=true', 'UpdateTable DeletionProtectionEnabled=false', 'DeleteTable bank-balances-g2']);
});

test.run();
