// DynamoDbCheckpointStore on DynamoDB Local: named positions in the control table.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

async function makeStore() {
  const db = await dynamoDb();
  return new DynamoDbCheckpointStore({ client: db.client, controlTableName: await db.createTable(CONTROL_TABLE, 'control') });
}

const test = suite('DynamoDbCheckpointStore');

test('a checkpoint never set reads 0', async () => {
  assert.is(await (await makeStore()).get('dispatch'), 0);
});

test('the last position set is read back, per name', async () => {
  const store = await makeStore();
  await store.set('dispatch', 1_700_000_000_123_456);
  await store.set('dispatch', 1_700_000_000_223_456);
  await store.set('indexer', 7);
  assert.equal([await store.get('dispatch'), await store.get('indexer')], [1_700_000_000_223_456, 7]);
});

test.run();
