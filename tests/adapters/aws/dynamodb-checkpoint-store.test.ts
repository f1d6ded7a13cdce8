// DynamoDbCheckpointStore on DynamoDB Local: what the port contract does not cover (dynamodb-checkpoint-contract.test.ts).
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

test('positions of epoch-ms scale (above 2^50) are read back exactly', async () => {
  const store = await makeStore();
  await store.set('dispatch', 1_700_000_000_123_456);
  await store.set('dispatch', 1_700_000_000_223_456);
  await store.set('indexer', 7);
  assert.equal([await store.get('dispatch'), await store.get('indexer')], [1_700_000_000_223_456, 7]);
});

test.run();
