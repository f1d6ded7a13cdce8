// The AWS runtime's close() refuses new calls at once (ClosedError) but waits for the calls already started before it
// destroys the clients it built: an emit whose S3 write is in flight answers with its identity, instead of failing
// however a destroyed SDK client fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ClosedError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

// Every client the runtime builds answers from these mocks (class-level), so close() destroys clients of its own.
const [s3Mock, ddbMock] = [mockClient(S3Client), mockClient(DynamoDBClient)];
const payment = SAMPLES['incoming_payment']!;

/** A runtime that builds its own clients, whose S3 PutObject waits until `release()`; `started` resolves when one began. */
async function runtimeWithHeldPut() {
  s3Mock.reset();
  ddbMock.reset();
  let release!: () => void;
  let began!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const started = new Promise<void>((resolve) => { began = resolve; });
  ddbMock.on(BatchGetItemCommand).resolves({ Responses: {} });
  s3Mock.onAnyCommand().resolves({}); // no object yet: a read answers no Body
  s3Mock.on(PutObjectCommand).callsFake(async () => { began(); await held; return {}; });
  const aws = await openAwsEventlake({
    region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control',
  }, { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
  const order: string[] = [];
  const destroy = aws.clients.s3.destroy.bind(aws.clients.s3);
  aws.clients.s3.destroy = () => { order.push('clients destroyed'); destroy(); };
  return { aws, started, release, order };
}

const test = suite('AWS runtime: close() waits for the calls in flight');

test('an emit whose S3 write is in flight at close() answers with its identity before the clients are destroyed', async () => {
  const { aws, started, release, order } = await runtimeWithHeldPut();
  const emitting = aws.lake.emit(payment).then((results) => { order.push('emit answered'); return results; });
  await started;
  const closing = aws.close();
  release();
  const [result] = await emitting;
  await closing;
  assert.equal(result, { id: eventId(payment), key: result!.key, status: 'stored' });
  assert.equal(order, ['emit answered', 'clients destroyed']);
});

test('a call made while close() waits for a call in flight is refused with ClosedError and sends nothing', async () => {
  const { aws, started, release } = await runtimeWithHeldPut();
  const emitting = aws.lake.emit(payment);
  await started;
  const closing = aws.close();
  const sentBefore = ddbMock.calls().length + s3Mock.calls().length;
  await rejects(() => aws.lake.emit(payment), ClosedError);
  await rejects(() => aws.index.lastPosition(), ClosedError);
  assert.is(ddbMock.calls().length + s3Mock.calls().length, sentBefore);
  release();
  await emitting;
  await closing;
});

test('close() called twice while a call is in flight: both wait for it, and the clients are destroyed once', async () => {
  const { aws, started, release, order } = await runtimeWithHeldPut();
  const emitting = aws.lake.emit(payment).then(() => order.push('emit answered'));
  await started;
  const [first, second] = [aws.close(), aws.close()];
  release();
  await Promise.all([first, second, emitting]);
  assert.equal(order, ['emit answered', 'clients destroyed']);
});

// mockClient replaces send on the client class for the whole process: later files of the same batch must get it back.
test.after(() => { s3Mock.restore(); ddbMock.restore(); });

test.run();
