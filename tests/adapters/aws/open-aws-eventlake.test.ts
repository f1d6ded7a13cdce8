// openAwsEventlake: config from file and environment, the clients it builds, and the runtime on DynamoDB Local + s3rver.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../../../domain/errors.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import { buildAwsClients, requireRegion } from '../../../adapters/aws/aws-clients.ts';
import { awsConfigFrom, type AwsEventlakeConfig } from '../../../adapters/aws/aws-config.ts';
import { ensureTable } from '../../../adapters/aws/dynamodb-tables.ts';
import { openAwsEventlake, type AwsEventlakeRuntime } from '../../../adapters/aws/open-aws-eventlake.ts';
import { UnsupportedOnTargetError as ReExported } from '../../../adapters/aws/sqs-dead-letters.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb, INTEGRATION } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';
import { SAMPLES } from '../../support/samples.ts';

const NAMES = { bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };
const payment = SAMPLES['incoming_payment']!;

/** The InvalidArgumentError `fn` throws (uvu's assert.throws cannot match a class). */
function invalid(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('expected InvalidArgumentError, nothing was thrown');
}

const config = suite('awsConfigFrom');

config('environment variables (the Lambda names) override the config file', () => {
  const c = awsConfigFrom({ settings: { ...NAMES, region: 'eu-west-1' }, env: { EVENTLAKE_BUCKET: 'from-env', AWS_REGION: 'us-east-2' } });
  assert.equal([c.bucket, c.indexTable, c.region], ['from-env', 'eventlake-index', 'us-east-2']);
});

config('every missing name is reported with its file key and environment variable', () => {
  const error = invalid(() => awsConfigFrom({ settings: { bucket: 'b' }, where: 'prod.json', env: {} }));
  assert.is(error.argument, 'indexTable, controlTable');
  for (const part of ['"indexTable" in prod.json', 'EVENTLAKE_INDEX_TABLE', 'EVENTLAKE_CONTROL_TABLE']) assert.ok(error.message.includes(part), error.message);
});

config('an unknown key (a typo) is refused by name', () => {
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, bukcet: 'x' }, env: {} })).argument, 'bukcet');
});

config('a value of the wrong type is refused by key', () => {
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, forcePathStyle: 'yes' }, env: {} })).argument, 'forcePathStyle');
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, bucket: 42 }, env: {} })).argument, 'bucket');
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, pointInTimeRecovery: 'off' }, env: {} })).argument, 'pointInTimeRecovery');
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, snapshots: { restoreTimeoutMs: -1 } }, env: {} })).argument, 'snapshots.restoreTimeoutMs');
});

config('an endpoint must be an http(s) URL', () => {
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, endpoint: 'localhost:4566' }, env: {} })).argument, 'endpoint');
});

config('a file endpoint gives way to AWS_ENDPOINT_URL_*, so the SDK resolves endpoints per service', () => {
  const c = awsConfigFrom({ settings: { ...NAMES, endpoint: 'http://file:1' }, env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://env:2' } });
  assert.is(c.endpoint, undefined);
});

config('athena settings come from the file, each overridden by its environment variable', () => {
  const c = awsConfigFrom({ settings: { ...NAMES, athena: { workGroup: 'wg', database: 'db', outputLocation: 's3://r/' } }, env: { EVENTLAKE_GLUE_DATABASE: 'env_db' } });
  assert.equal(c.athena, { workGroup: 'wg', database: 'env_db', outputLocation: 's3://r/' });
  assert.is(awsConfigFrom({ settings: NAMES, env: {} }).athena, undefined);
});

config('half an athena setting, or an unknown athena key, is refused by name', () => {
  const half = invalid(() => awsConfigFrom({ settings: { ...NAMES, athena: { workGroup: 'wg' } }, where: 'prod.json', env: {} }));
  assert.is(half.argument, 'athena.database');
  assert.ok(half.message.includes('EVENTLAKE_GLUE_DATABASE'), half.message);
  assert.is(invalid(() => awsConfigFrom({ settings: { ...NAMES, athena: { workgroup: 'wg' } }, env: {} })).argument, 'athena.workgroup');
});

config.run();

const clients = suite('buildAwsClients');

clients('a configured endpoint goes to every client, with path-style S3 addresses', async () => {
  const { clients: c } = buildAwsClients({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566', eventBusName: 'bus' }, {});
  for (const client of [c.s3, c.dynamodb, c.eventBridge!]) assert.is((await client.config.endpoint!()).port, 4566);
  assert.is(c.s3.config.forcePathStyle, true);
});

clients('AWS_ENDPOINT_URL_S3 alone turns on path style; real AWS keeps virtual-hosted addresses', () => {
  assert.is(buildAwsClients({ region: 'eu-west-1' }, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }).clients.s3.config.forcePathStyle, true);
  assert.is(buildAwsClients({ region: 'eu-west-1' }, {}).clients.s3.config.forcePathStyle, false);
});

clients('injected clients are used and not owned; no bus, no EventBridge client', () => {
  const s3 = new S3Client({ region: 'eu-west-1' });
  const built = buildAwsClients({ region: 'eu-west-1', clients: { s3 } }, {});
  assert.is(built.clients.s3, s3);
  assert.is(built.clients.eventBridge, undefined);
  assert.equal(built.owned, [built.clients.dynamodb]);
});

clients('a missing region fails at open with the ways to set it', async () => {
  const error = await rejects(() => requireRegion({ config: { region: () => Promise.reject(new Error('Region is missing')) } }), InvalidArgumentError);
  assert.is(error.argument, 'region');
  assert.ok(error.message.includes('AWS_REGION'));
});

clients.run();

/** A runtime on the test S3 bucket and fresh tables of the test DynamoDB. */
async function openOnTestServices(): Promise<AwsEventlakeRuntime> {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  return openAwsEventlake({
    bucket: s3.bucket, indexTable, controlTable, tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: db.pitr,
    clients: { s3: s3.client, dynamodb: db.client },
  });
}

const runtime = suite('openAwsEventlake');

runtime('a config object without the stack names is refused before any client is built', async () => {
  const error = await rejects(() => openAwsEventlake({ bucket: 'b' } as AwsEventlakeConfig), InvalidArgumentError);
  assert.is(error.argument, 'indexTable, controlTable');
  assert.ok(error.message.includes('pass "indexTable"'), error.message);
});

runtime('emit validates and writes the event to S3, and the log reads it back', async () => {
  const rt = await openOnTestServices();
  const [result] = await rt.lake.emit(payment);
  assert.equal(result, { id: eventId(payment), key: eventKey(payment), status: 'stored' });
  assert.equal(await rt.log.read({ key: result!.key }), payment);
  await rt.close();
});

runtime('emit leaves indexing to the indexer Lambda (S3 notification), and catchUp has nothing to do', async () => {
  const rt = await openOnTestServices();
  await rt.lake.emit(payment);
  assert.equal(await rt.catchUp(), { indexed: 0, dispatched: 0, deadLettered: 0 });
  assert.is(await rt.index.get(eventId(payment)), undefined);
  await rt.close();
});

runtime('balances are read from the DynamoDB projection store', async () => {
  const rt = await openOnTestServices();
  await rt.store.apply(balancesProjection, await rt.store.liveGeneration('balances'), [payment, SAMPLES['inter_account_transfer']!]);
  assert.is(await rt.lake.balance('NL91-ABNA-0417'), '123.45');
  assert.equal(await rt.lake.balances(), new Map([['DE44-5001-0517', '0.00'], ['NL91-ABNA-0417', '123.45']]));
  await rt.close();
});

runtime('a balance of a projection the stack does not have is refused by name, as locally', async () => {
  const rt = await openOnTestServices();
  const error = await rejects(() => rt.lake.balance('NL91-ABNA-0417', 'balance'), InvalidArgumentError);
  assert.is(error.argument, 'projection');
  assert.ok(error.message.includes('balances'), error.message);
  await rt.close();
});

runtime('dead letters point at the SQS tools instead of pretending there are none', async () => {
  const rt = await openOnTestServices();
  const listed = await rejects(() => rt.deadLetters.list(), UnsupportedOnTargetError);
  await rejects(() => rt.redriveDeadLetters(), UnsupportedOnTargetError);
  assert.ok(listed.message.includes('create-event-source-mapping'), listed.message);
  assert.ok(listed.message.includes('eventlake --target aws dlq list'), listed.message);
  assert.is(listed.code, 'UNSUPPORTED_ON_TARGET');
  await rt.close();
});

runtime('the error class the dead-letter module re-exports is the domain one', () => {
  assert.is(ReExported, UnsupportedOnTargetError);
});

runtime('close leaves injected clients to their owner', async () => {
  const rt = await openOnTestServices();
  await rt.close();
  // The runtime refuses calls after close (ClosedError); the clients it was given still answer their owner.
  const again = await openAwsEventlake({ ...rt.config, clients: rt.clients });
  assert.ok(await again.store.liveGeneration('balances'));
  await again.close();
});

runtime.run();

const built = suite('openAwsEventlake with clients it builds');

// The CLI's path: no clients injected, endpoints from AWS_ENDPOINT_URL_S3 / _DYNAMODB, credentials from the chain.
// (Not in the opt-in integration run, whose environment already is the chain under test.)
if (!INTEGRATION) built('the standard chain and per-service AWS_ENDPOINT_URL_* reach s3rver and DynamoDB Local', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  const url = async (c: S3Client | DynamoDBClient) => { const e = await c.config.endpoint!(); return `${e.protocol}//${e.hostname}:${e.port}`; };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: await url(s3.client), AWS_ENDPOINT_URL_DYNAMODB: await url(db.client), AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const rt = await openAwsEventlake(awsConfigFrom({ settings: { bucket: s3.bucket, indexTable: 'it-index', controlTable: 'it-control' } }));
  await ensureTable(rt.clients.dynamodb, 'it-control', CONTROL_TABLE, { initialDelayMs: 50 });
  // emit checks the index for copies its S3 key cannot show (compacted, another hour, a legacy RequestId case).
  await ensureTable(rt.clients.dynamodb, 'it-index', EVENT_INDEX_TABLE, { initialDelayMs: 50 });
  const [result] = await rt.lake.emit(payment);
  assert.equal(await rt.log.read({ key: result!.key }), payment);
  assert.is(await rt.store.liveGeneration('balances'), 1);
  await rt.close();
});

built.run();
