// The DynamoDB adapters' failures leave as domain errors: StorageError (with the SDK error as cause) or TransientError.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, DynamoDBServiceException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventNotFoundError, StorageError, TransientError } from '../../../domain/errors.ts';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { storageError } from '../../../adapters/aws/dynamodb-codec.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const denied = () => new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'not authorized to perform dynamodb:GetItem' });
const missing = () => new DynamoDBServiceException({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'table not found' });

const store = new DynamoDbProjectionStore({ client, controlTableName: 'control', tablePrefix: 'bank' });
const index = new DynamoDbEventIndex({ client, tableName: 'index' });

/** The StorageError `run` rejects with, checked to carry the SDK error. */
async function storageFailure(run: () => Promise<unknown>): Promise<StorageError> {
  const error = await rejects(run, StorageError);
  assert.is(error.code, 'STORAGE_FAILED');
  assert.is((error.cause as Error).name, 'AccessDeniedException');
  return error;
}

const test = suite('DynamoDB adapters: storage errors');
test.before.each(() => {
  ddb.reset();
  ddb.onAnyCommand().rejects(denied());
});

test('a denied checkpoint read is a StorageError naming what failed', async () => {
  const error = await storageFailure(() => new DynamoDbCheckpointStore({ client, controlTableName: 'control' }).get('dispatch'));
  assert.ok(error.message.includes('checkpoint dispatch'), error.message);
});

test('denied projection reads and writes are StorageErrors', async () => {
  await storageFailure(() => store.liveGeneration('balances'));
  await storageFailure(() => store.counter('balances', 1, 'DE44'));
  await storageFailure(() => store.readState('balances', 1));
  await storageFailure(() => store.promote('balances', 2));
  await storageFailure(() => store.setCheckpoint('balances', 2, { at: 1 }));
});

test('a generation whose table is missing still reads as empty', async () => {
  ddb.on(GetItemCommand).rejects(missing());
  assert.is(await store.counter('balances', 9, 'DE44'), undefined);
});

test('denied index reads are StorageErrors, also while iterating a time range', async () => {
  await storageFailure(() => index.get('cash_deposit_1'));
  await storageFailure(() => index.lastPosition());
  await storageFailure(() => index.objects());
  await storageFailure(async () => { for await (const _ of index.between({ from: 0, to: 3600 })) break; });
});

test('a denied snapshot listing is a StorageError', async () => {
  const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor: store.tableFor });
  await storageFailure(() => snapshots.list('balances'));
});

test('domain errors pass through unchanged, and throttling is transient', () => {
  const notFound = new EventNotFoundError('x');
  assert.is(storageError('reading', notFound), notFound);
  const throttled = storageError('reading', new DynamoDBServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'slow' }));
  assert.instance(throttled, TransientError);
});

test('the SDK error never leaves: not even a validation error of a write', async () => {
  ddb.on(PutItemCommand).rejects(new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message: 'bad' }));
  const error = await rejects(() => new DynamoDbCheckpointStore({ client, controlTableName: 'control' }).set('dispatch', 1), StorageError);
  assert.is((error.cause as Error).name, 'ValidationException');
});

test.run();
