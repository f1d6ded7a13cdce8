// Clients built outside openAwsEventlake word a wrong bucket or table as it does (s3rver and DynamoDB Local): a stack
// function's clients name the environment variable that holds the name (EVENTLAKE_BUCKET, …), and `repair index --target aws`
// the config setting; not the SDK's bare "NoSuchBucket" or "Cannot do operations on a non-existent table".
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { functionClients } from '../../../adapters/aws/lambda/clients.ts';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { StorageError } from '../../../domain/errors.ts';
import { runCli as cli } from '../../security/cli-run.ts';
import { rejects } from '../../support/async.ts';
import { stack, STACK_ENV } from '../../support/aws-cli-stack.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';
import { tempDir } from '../../support/tmp.ts';

const env = { [LAMBDA_ENV.bucket]: 'no-such-bucket', [LAMBDA_ENV.indexTable]: 'no-such-index', [LAMBDA_ENV.controlTable]: 'no-such-control' };
const untraced = { captureAWSv3Client: <T>(client: T): T => client };

/** The clients a function builds, aimed at the test services. */
async function clients() {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  const [s3Url, dbUrl] = await Promise.all([s3.client.config.endpoint!(), db.client.config.endpoint!()]);
  const at = (u: { protocol: string; hostname: string; port?: number | string }) => `${u.protocol}//${u.hostname}:${u.port}`;
  return functionClients(untraced, env, {
    s3: { endpoint: at(s3Url), region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 },
    dynamodb: { endpoint: at(dbUrl), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 },
  });
}

const includesAll = (message: string, parts: readonly string[]) => { for (const part of parts) assert.ok(message.includes(part), `${part} in: ${message}`); };

const test = suite('stack functions: an environment naming what does not exist');

test('a bucket that does not exist is a StorageError naming the bucket, EVENTLAKE_BUCKET on the function and the fix', async () => {
  const { s3 } = await clients();
  const error = await rejects(() => new S3EventLog({ client: s3, bucket: env[LAMBDA_ENV.bucket]! }).readObjectBytes('events/x.event'), StorageError);
  includesAll(error.message, ['bucket no-such-bucket does not exist', 'region us-east-1', "the function's environment variable EVENTLAKE_BUCKET", 'BucketName output', 'deploy the stack again']);
  assert.not.ok(error.message.includes('--config'), error.message);
});

test('an index table that does not exist is a StorageError naming the table and EVENTLAKE_INDEX_TABLE on the function', async () => {
  const { dynamodb } = await clients();
  const error = await rejects(() => new DynamoDbEventIndex({ client: dynamodb, tableName: env[LAMBDA_ENV.indexTable]! }).get('cash_deposit_x'), StorageError);
  includesAll(error.message, ['table no-such-index does not exist', "the function's environment variable EVENTLAKE_INDEX_TABLE", 'IndexTableName output']);
});

test('the functions build their S3 and DynamoDB clients only through functionClients', () => {
  const dir = new URL('../../../adapters/aws/lambda/', import.meta.url);
  const building = readdirSync(dir).filter((f) => f !== 'clients.ts' && /new (S3Client|DynamoDBClient)\(/.test(readFileSync(new URL(f, dir), 'utf8')));
  assert.equal(building, []);
});

test.run();

const repair = suite('repair index --target aws: a config naming a bucket that does not exist');
repair.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

repair('the repair stops naming the bucket, its setting "bucket" / EVENTLAKE_BUCKET and the BucketName output', async () => {
  const { config } = await stack(1);
  const wrong = join(tempDir(), 'wrong-bucket.json');
  writeFileSync(wrong, JSON.stringify({ ...(JSON.parse(readFileSync(config, 'utf8')) as object), bucket: 'no-such-bucket' }));
  const r = await cli(['--config', wrong, 'repair', 'index']);
  assert.is(r.code, 1, r.stderr);
  for (const part of ['S3: bucket no-such-bucket does not exist in region us-east-1', '"bucket" in the config', 'EVENTLAKE_BUCKET', 'BucketName output']) {
    assert.ok(r.stderr.includes(part), `${part} in: ${r.stderr}`);
  }
});

repair.after(() => stopS3());

repair.run();
