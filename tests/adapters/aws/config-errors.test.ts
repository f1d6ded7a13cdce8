// A config that names the wrong bucket or table (or region) fails with a StorageError naming the resource, the
// setting that names it, where it was looked for and the fix. The SDK errors come from real responses (a fake HTTP
// handler), so their shapes are the SDK's own, as DynamoDB Local and s3rver answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ArchivedEventError, StorageError } from '../../../domain/errors.ts';
import { openAwsEventlake, type AwsEventlakeRuntime } from '../../../adapters/aws/open-aws-eventlake.ts';
import { s3ConfigError } from '../../../adapters/aws/config-errors.ts';
import { answeringClients, dynamoDbError, NO_BUCKET, NO_TABLE, s3Error, type Answer } from '../../support/answering-clients.ts';
import { rejects } from '../../support/async.ts';

let dynamoDbAnswer: Answer = NO_TABLE;
let s3Answer: Answer = NO_BUCKET;

async function open(): Promise<AwsEventlakeRuntime> {
  const clients = answeringClients({ s3: () => s3Answer, dynamodb: () => dynamoDbAnswer });
  return openAwsEventlake({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1', bucket: 'acme-evnts', indexTable: 'acme-index', controlTable: 'acme-control', clients }, {});
}

const includesAll = (message: string, parts: readonly string[]) => { for (const part of parts) assert.ok(message.includes(part), `${part} in: ${message}`); };

const test = suite('AWS config errors');
let runtime: AwsEventlakeRuntime;
test.before.each(async () => {
  dynamoDbAnswer = NO_TABLE;
  s3Answer = NO_BUCKET;
  runtime = await open();
});
test.after.each(() => runtime.close());

test('writing to a bucket that does not exist is a StorageError naming the bucket, its setting, the region and the fix', async () => {
  const error = await rejects(() => runtime.log.writeSegment('events/2026/11/27/10/x.jsonl', ['{}']), StorageError);
  includesAll(error.message, ['bucket acme-evnts', '"bucket"', 'EVENTLAKE_BUCKET', 'BucketName output', 'region eu-west-3', 'http://127.0.0.1:1', 'NoSuchBucket']);
  assert.is((error.cause as { name?: string }).name, 'NoSuchBucket');
});

test('listing a bucket that does not exist is the same StorageError, not an unexpected SDK error', async () => {
  const error = await rejects(async () => { for await (const _ of runtime.log.list('events/')) break; }, StorageError);
  includesAll(error.message, ['bucket acme-evnts', 'EVENTLAKE_BUCKET']);
});

test('access denied on the bucket is a StorageError naming the bucket, its setting and the credentials', async () => {
  s3Answer = s3Error(403, 'AccessDenied', 'Access Denied');
  const error = await rejects(() => runtime.log.readObjectBytes!('events/2026/11/27/10/x.jsonl'), StorageError);
  includesAll(error.message, ['access to bucket acme-evnts was denied', 'EVENTLAKE_BUCKET', 'AWS_PROFILE', 'AccessDenied']);
});

test('an archived object\'s 403 (InvalidObjectState) is still EVENT_ARCHIVED, not a denied bucket', async () => {
  s3Answer = s3Error(403, 'InvalidObjectState', 'The operation is not valid for the object\'s storage class');
  await rejects(() => runtime.log.readObjectBytes!('events/2026/11/27/10/x.jsonl'), ArchivedEventError);
});

test('a denied CopyObject is left to the archive tier, which words it as the stack\'s policy', () => {
  const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  assert.is(s3ConfigError(denied, 'CopyObjectCommand', { bucket: 'b', indexTable: 'i', controlTable: 'c' }, { region: 'r', endpoint: undefined }), undefined);
});

test('a missing control table names the table, controlTable, its variable, the region, the endpoint and the fix', async () => {
  const error = await rejects(() => runtime.store.liveGeneration('balances'), StorageError);
  includesAll(error.message, [
    'reading the live generation of balances', 'table acme-control does not exist in region eu-west-3 at http://127.0.0.1:1', '"controlTable"',
    'EVENTLAKE_CONTROL_TABLE', 'ControlTableName output', 'AWS_REGION', 'deploy the stack',
  ]);
  assert.is((error.cause as { name?: string }).name, 'ResourceNotFoundException');
});

test('a missing index table names the table, indexTable and its variable', async () => {
  const error = await rejects(() => runtime.index.lastPosition(), StorageError);
  includesAll(error.message, ['table acme-index does not exist in region eu-west-3', '"indexTable"', 'EVENTLAKE_INDEX_TABLE', 'IndexTableName output']);
});

test('a missing generation table still reads as an empty generation: the SDK error keeps its name for the callers that branch on it', async () => {
  assert.is(await runtime.store.counter('balances', 9, 'DE44'), undefined);
});

test('credentials DynamoDB does not recognise get the fix naming AWS_PROFILE and the region', async () => {
  dynamoDbAnswer = dynamoDbError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const error = await rejects(() => runtime.checkpoints.get('dispatch'), StorageError);
  includesAll(error.message, ['not valid in region eu-west-3', 'AWS_PROFILE']);
});

test.run();
