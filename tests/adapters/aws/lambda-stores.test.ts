// The functions' DynamoDB stores from their environment: names, prefix, and the lake key on created and restored tables.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetItemCommand, CreateTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException,
  RestoreTableToPointInTimeCommand, ScanCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { projectionStoreFromEnv, snapshotStoreFromEnv, tableSettingsFrom } from '../../../adapters/aws/lambda/stores.ts';
import { SAMPLES } from '../../support/samples.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const KEY = 'arn:aws:kms:eu-central-1:111122223333:key/lake';
const ENV = { [LAMBDA_ENV.controlTable]: 'bank-control', [LAMBDA_ENV.tablePrefix]: 'bank', [LAMBDA_ENV.kmsKeyArn]: KEY };
const missing = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

const test = suite('Lambda stores from the environment');
test.before.each(() => {
  ddb.reset();
  ddb.on(UpdateItemCommand).resolves({});
  ddb.on(TransactWriteItemsCommand).resolves({});
  ddb.on(BatchGetItemCommand).resolves({});
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  ddb.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } } });
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
});

test('without EVENTLAKE_KMS_KEY_ARN, tables are created with DynamoDB\'s own key', () => {
  assert.equal(tableSettingsFrom({}), {});
});

test('a generation table the rebuild store creates is encrypted with the lake key and named with the prefix', async () => {
  ddb.on(CreateTableCommand).resolves({});
  await projectionStoreFromEnv(client, {}, ENV).apply(balancesProjection, 2, [SAMPLES['incoming_payment']!]);
  const create = ddb.commandCalls(CreateTableCommand)[0]!.args[0].input;
  assert.is(create.TableName, 'bank-balances-g2');
  assert.equal(create.SSESpecification, { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY });
  assert.is(ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input.TableName, 'bank-control');
});

test('the projector store never creates tables', async () => {
  await projectionStoreFromEnv(client, { createTables: false }, ENV).apply(balancesProjection, 1, [SAMPLES['incoming_payment']!]);
  assert.is(ddb.commandCalls(CreateTableCommand).length, 0);
});

test('a generation restored from a snapshot gets the lake key too', async () => {
  ddb.on(ScanCommand).rejects(missing());
  ddb.on(RestoreTableToPointInTimeCommand).resolves({});
  const store = projectionStoreFromEnv(client, {}, ENV);
  await snapshotStoreFromEnv(client, store, ENV).restore({ id: 's', projection: 'balances', generation: 1, takenAt: Date.now() - 3_600_000, highWaterMark: 1 }, 3);
  const restore = ddb.commandCalls(RestoreTableToPointInTimeCommand)[0]!.args[0].input;
  assert.equal([restore.SourceTableName, restore.TargetTableName], ['bank-balances-g1', 'bank-balances-g3']);
  assert.equal(restore.SSESpecificationOverride, { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY });
});

test('a missing control table name fails naming the variable', () => {
  assert.throws(() => projectionStoreFromEnv(client, {}, {}), (e: unknown) => e instanceof InvalidArgumentError && e.argument === LAMBDA_ENV.controlTable);
});

test.run();
