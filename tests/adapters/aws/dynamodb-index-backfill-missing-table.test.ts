// `repairIndexDirectory` on a table that does not exist (a config naming another stack's or region's index): the
// refusal names the table, the config field and the fix, not only DynamoDB's "Requested resource not found".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import { repairIndexDirectory } from '../../../adapters/aws/dynamodb-index-backfill.ts';
import { rejects } from '../../support/async.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);

const test = suite('repairIndexDirectory: a missing index table');

test('a missing index table is STORAGE_FAILED naming the table, its region, indexTable and the stack output to use', async () => {
  ddb.on(ScanCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
  const error = await rejects(() => repairIndexDirectory({ indexTable: 'other-index', region: 'eu-central-1', clients: { dynamodb: client } }), StorageError);
  assert.is(error.code, 'STORAGE_FAILED');
  for (const part of ['other-index', 'eu-central-1', 'indexTable', 'IndexTableName']) assert.ok(error.message.includes(part), error.message);
});

test.run();
