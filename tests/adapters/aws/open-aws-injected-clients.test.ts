// Clients given to openAwsEventlake stay the caller's: the lake words a wrong bucket or table for its own calls only,
// leaves the clients as they were (no middleware), and two lakes on one pair of clients each word their own names.
// The SDK errors come from canned HTTP answers (answering-clients.ts), so their shapes are the SDK's own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { withConfigErrors } from '../../../adapters/aws/config-errors.ts';
import { configFix } from '../../../adapters/aws/errors.ts';
import { openAwsEventlake, type AwsOpenConfig } from '../../../adapters/aws/open-aws-eventlake.ts';
import { StorageError } from '../../../domain/errors.ts';
import { answeringClients, NO_BUCKET, NO_TABLE } from '../../support/answering-clients.ts';
import { rejects } from '../../support/async.ts';

const NAMES = { region: 'eu-west-3', bucket: 'acme-events', indexTable: 'acme-index', controlTable: 'acme-control', tablePrefix: 'acme' };
const KEY = 'events/2026/11/27/10/x.jsonl';

/** The caller's own clients: every S3 request answers NoSuchBucket, every DynamoDB request a missing table. */
const callersClients = () => answeringClients({ s3: () => NO_BUCKET, dynamodb: () => NO_TABLE });

/** A lake on `clients` with `changes` to NAMES. */
const lakeOn = (clients: AwsOpenConfig['clients'], changes: Partial<AwsOpenConfig> = {}) => openAwsEventlake({ ...NAMES, ...changes, clients }, {});

/** What the caller's own call rejects with. */
async function failureOf(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call resolved');
}

const test = suite('openAwsEventlake: clients of your own');

test('after a lake is opened and closed, your own S3 call fails with the SDK\'s NoSuchBucket, not the lake\'s bucket', async () => {
  const clients = callersClients();
  await (await lakeOn(clients)).close();
  const error = await failureOf(() => clients.s3.send(new GetObjectCommand({ Bucket: 'my-app-bucket', Key: 'x' })));
  assert.is(error.name, 'NoSuchBucket');
  assert.not.instance(error, StorageError);
  assert.not.ok(error.message.includes('acme-events'), error.message);
});

test('while a lake is open, your own DynamoDB call fails as the SDK fails, without the lake\'s config fix', async () => {
  const clients = callersClients();
  const lake = await lakeOn(clients);
  const error = await failureOf(() => clients.dynamodb.send(new DescribeTableCommand({ TableName: 'my-app-table' })));
  await lake.close();
  assert.is(error.name, 'ResourceNotFoundException');
  assert.is(configFix(error), undefined);
});

test('opening and closing a lake leaves the clients\' middleware as it was', async () => {
  const clients = callersClients();
  const before = [clients.s3.middlewareStack.identify(), clients.dynamodb.middlewareStack.identify()];
  const lake = await lakeOn(clients);
  assert.equal([clients.s3.middlewareStack.identify(), clients.dynamodb.middlewareStack.identify()], before, 'while open');
  await lake.close();
  assert.equal([clients.s3.middlewareStack.identify(), clients.dynamodb.middlewareStack.identify()], before, 'after close');
});

test('the runtime\'s clients are the ones given', async () => {
  const clients = callersClients();
  const lake = await lakeOn(clients);
  await lake.close();
  assert.is(lake.clients.s3, clients.s3);
  assert.is(lake.clients.dynamodb, clients.dynamodb);
});

test('a second lake on the same clients names its own bucket, and the first still names its own', async () => {
  const clients = callersClients();
  const first = await lakeOn(clients);
  const second = await lakeOn(clients, { bucket: 'no-such-bucket' });
  const [a, b] = [await rejects(() => first.log.readObjectBytes!(KEY), StorageError), await rejects(() => second.log.readObjectBytes!(KEY), StorageError)];
  await Promise.all([first.close(), second.close()]);
  assert.ok(b.message.includes('bucket no-such-bucket does not exist'), b.message);
  assert.not.ok(b.message.includes('acme-events'), b.message);
  assert.ok(a.message.includes('bucket acme-events does not exist'), a.message);
});

test('a second lake on the same clients names its own index table as the index table', async () => {
  const clients = callersClients();
  const first = await lakeOn(clients);
  const second = await lakeOn(clients, { indexTable: 'no-such-table' });
  const error = await rejects(() => second.index.count(), StorageError);
  await Promise.all([first.close(), second.close()]);
  assert.ok(error.message.includes('table no-such-table does not exist'), error.message);
  assert.ok(error.message.includes('the index table, named by "indexTable"'), error.message);
  assert.not.ok(error.message.includes('projection generation table'), error.message);
});

test('clients worded for one lake and worded again for another word the other lake\'s names only', async () => {
  const clients = callersClients();
  const again = withConfigErrors(withConfigErrors(clients, NAMES, {}), { ...NAMES, bucket: 'other-bucket' }, {});
  const error = await rejects(() => again.s3.send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'x' })), StorageError);
  assert.ok(error.message.includes('bucket other-bucket does not exist'), error.message);
});

test.run();
