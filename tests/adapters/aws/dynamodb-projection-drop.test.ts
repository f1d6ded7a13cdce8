// DynamoDbProjectionStore.dropGeneration against a mocked client: protected tables (the stack's generation 1) are dropped too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ResourceNotFoundException, UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const store = new DynamoDbProjectionStore({ client, controlTableName: 'control', tablePrefix: 'bank' });

/** A table that exists (protected or not) until DeleteTable, which DynamoDB refuses while it is protected. */
function simulatedTable(deletionProtection: boolean): string[] {
  const calls: string[] = [];
  let exists = true;
  let protectedNow = deletionProtection;
  ddb.on(GetItemCommand).resolves({ Item: { live: { N: '2' } } });
  ddb.on(UpdateItemCommand).resolves({});
  ddb.on(DescribeTableCommand).callsFake(() => {
    if (!exists) throw new ResourceNotFoundException({ message: 'gone', $metadata: {} });
    return { Table: { TableStatus: 'ACTIVE', DeletionProtectionEnabled: protectedNow } };
  });
  ddb.on(UpdateTableCommand).callsFake((input: { DeletionProtectionEnabled?: boolean }) => {
    calls.push(`UpdateTable DeletionProtectionEnabled=${input.DeletionProtectionEnabled}`);
    protectedNow = input.DeletionProtectionEnabled ?? protectedNow;
    return {};
  });
  ddb.on(DeleteTableCommand).callsFake((input: { TableName: string }) => {
    if (protectedNow) throw new Error('Resource cannot be deleted as it is currently protected against deletion');
    calls.push(`DeleteTable ${input.TableName}`);
    exists = false;
    return {};
  });
  return calls;
}

const test = suite('DynamoDbProjectionStore.dropGeneration (mocked DynamoDB)');
test.before.each(() => { ddb.reset(); });

test('a generation table with deletion protection (the stack\'s generation 1) is unprotected, then deleted', async () => {
  const calls = simulatedTable(true);
  await store.dropGeneration('balances', 1);
  assert.equal(calls, ['UpdateTable DeletionProtectionEnabled=false', 'DeleteTable bank-balances-g1']);
});

test('an unprotected generation table is deleted without an UpdateTable', async () => {
  const calls = simulatedTable(false);
  await store.dropGeneration('balances', 3);
  assert.equal(calls, ['DeleteTable bank-balances-g3']);
});

test('the dropped generation is remembered in the control table, so promote refuses it', async () => {
  simulatedTable(true);
  await store.dropGeneration('balances', 1);
  const update = ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input;
  assert.equal([update.UpdateExpression, update.ExpressionAttributeValues], ['ADD #dropped :g', { ':g': { NS: ['1'] } }]);
});

test('the live generation is never unprotected nor dropped', async () => {
  simulatedTable(true);
  await rejects(() => store.dropGeneration('balances', 2), InvalidArgumentError);
  assert.is(ddb.commandCalls(UpdateTableCommand).length + ddb.commandCalls(DeleteTableCommand).length, 0);
});

test.run();
