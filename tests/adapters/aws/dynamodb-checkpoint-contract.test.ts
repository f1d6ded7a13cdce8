// The CheckpointStore contract against DynamoDbCheckpointStore on DynamoDB Local (or the opt-in integration endpoint),
// and what the contract does not cover.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { StorageError } from '../../../domain/errors.ts';
import { checkpointStoreContract } from '../../contracts/checkpoint-store.contract.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

async function makeStore() {
  const db = await dynamoDb();
  return new DynamoDbCheckpointStore({ client: db.client, controlTableName: await db.createTable(CONTROL_TABLE, 'control') });
}

checkpointStoreContract('DynamoDbCheckpointStore', async () => ({ subject: await makeStore() }));

const test = suite('DynamoDbCheckpointStore');

test('positions of epoch-ms scale (above 2^50) are read back exactly', async () => {
  const store = await makeStore();
  await store.set('dispatch', 1_700_000_000_223_456);
  assert.is(await store.get('dispatch'), 1_700_000_000_223_456);
});

test('a compare-and-set DynamoDB refuses for another reason than its condition is a StorageError, never a lost race', async () => {
  const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  mockClient(client).onAnyCommand().rejects(new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'not authorized to perform dynamodb:PutItem' }));
  const error = await rejects(() => new DynamoDbCheckpointStore({ client, controlTableName: 'control' }).compareAndSet('rebuild:lease:balances', 0, 1), StorageError);
  assert.match(error.message, 'compare-and-set of checkpoint rebuild:lease:balances');
});

test.run();
