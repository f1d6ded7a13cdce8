// A request whose answer never came back (refused, timed out, the socket hung up: a write may or may not have landed,
// which is why each retried write is one a replay leaves harmless) is a TransientError from every AWS adapter, as
// TransientError's contract says ("a lost connection"), with the socket error as `cause`: not a StorageError
// (STORAGE_FAILED tells the operator to fix permissions or a table) and not a raw Node error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { TransientError } from '../../../domain/errors.ts';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { SAMPLES } from '../../support/samples.ts';
import { rejects } from '../../support/async.ts';

/** Node's socket errors as the SDK passes them on once its own retries are spent: the errno name is in `code`. */
const FAILURES: Record<string, () => Error> = {
  'a refused connection': () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', syscall: 'connect' }),
  'a connect timeout': () => Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT', syscall: 'connect' }),
  'a socket hang up': () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
};

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const dynamodb = new DynamoDBClient({ region: 'eu-central-1', credentials });
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const ddb = mockClient(dynamodb);
const s3Mock = mockClient(s3);
const retry = { attempts: 2, sleep: async () => undefined };

async function transient(run: () => Promise<unknown>, cause: Error): Promise<void> {
  const error = await rejects(run, TransientError);
  assert.is(error.code, 'TRANSIENT');
  assert.is((error.cause as { code?: string }).code, (cause as { code?: string }).code);
}

const test = suite('AWS adapters: a lost connection is a TransientError');

for (const [what, failure] of Object.entries(FAILURES)) {
  test(`${what} reading a DynamoDB checkpoint is a TransientError`, async () => {
    ddb.reset();
    ddb.onAnyCommand().rejects(failure());
    await transient(() => new DynamoDbCheckpointStore({ client: dynamodb, controlTableName: 'control' }).get('dispatch'), failure());
  });

  test(`${what} reading a DynamoDB projection or index is a TransientError`, async () => {
    ddb.reset();
    ddb.onAnyCommand().rejects(failure());
    await transient(() => new DynamoDbProjectionStore({ client: dynamodb, controlTableName: 'control' }).counter('balances', 1, 'DE44'), failure());
    await transient(() => new DynamoDbEventIndex({ client: dynamodb, tableName: 'index' }).lastPosition(), failure());
  });

  test(`${what} reading or writing an S3 event is a TransientError`, async () => {
    s3Mock.reset();
    s3Mock.onAnyCommand().rejects(failure());
    const log = new S3EventLog({ client: s3, bucket: 'acme-events', retry });
    await transient(() => log.read({ key: 'events/year=2024/month=04/day=24/hour=23/x.event' }), failure());
    await transient(() => log.append([Object.values(SAMPLES)[0]!]), failure());
  });

  test(`${what} asking S3 for an object's storage class is a TransientError`, async () => {
    s3Mock.reset();
    s3Mock.onAnyCommand().rejects(failure());
    await transient(() => new S3ArchiveTier({ client: s3, bucket: 'acme-events', retry }).storage(['events/year=2024/month=04/day=24/hour=23/x.event']), failure());
  });
}

test.run();
