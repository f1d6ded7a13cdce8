// The AWS runtime after `close()` refuses every call with ClosedError (CLOSED), as the local one does, naming the
// bucket and how to open it again: its clients are destroyed, and a call then failed however the SDK happened to.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ClosedError } from '../../../domain/errors.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const dynamodb = new DynamoDBClient({ region: 'eu-central-1', credentials });
const [s3Mock, ddb] = [mockClient(s3), mockClient(dynamodb)];

async function closedRuntime() {
  s3Mock.reset();
  ddb.reset();
  const aws = await openAwsEventlake({
    region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control', clients: { s3, dynamodb },
  }, {});
  await aws.close();
  return aws;
}

async function closed(call: () => Promise<unknown>): Promise<void> {
  const error = await rejects(call, ClosedError);
  assert.is(error.code, 'CLOSED');
  assert.match(error.message, /s3:\/\/acme-events/);
  assert.match(error.message, /openAwsEventlake/);
}

const test = suite('AWS runtime: a closed runtime refuses every call with ClosedError');

test('lake.emit and lake.balance after close are refused with ClosedError and send nothing', async () => {
  const aws = await closedRuntime();
  await closed(() => aws.lake.emit(Object.values(SAMPLES)[0]!));
  await closed(() => aws.lake.balance('DE44-5001-0517'));
  assert.is(s3Mock.calls().length + ddb.calls().length, 0);
});

test('the ports and the runtime\'s own methods after close are refused with ClosedError', async () => {
  const aws = await closedRuntime();
  await closed(() => aws.index.lastPosition());
  await closed(() => aws.store.liveGeneration('balances'));
  await closed(() => aws.checkpoints.get('dispatch'));
  await closed(() => aws.snapshots.list('balances'));
  await closed(() => aws.archive.storage([]));
  await closed(() => aws.dispatchedPosition());
  await closed(() => aws.catchUp());
});

test('closing twice is harmless', async () => {
  const aws = await closedRuntime();
  await aws.close();
});

test.run();
