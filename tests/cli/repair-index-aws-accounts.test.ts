// `eventlake --target aws repair index` re-derives the accounts of indexed events with the loaded schemas: an event
// stored before its type declared x-eventlake-accounts is found by `events --account` after it; archived objects
// are listed with the fix and the command exits 1 until none is left.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { accountsOf } from '../../domain/event.ts';
import { runCli as cli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { stack, STACK_ENV } from '../support/aws-cli-stack.ts';

const T0 = 1_700_000_000;

/** A stack holding one card payment indexed as a lake without the declaration indexed it; the config and the index. */
async function stackWithCardPayment() {
  const { config, bucket } = await stack(0);
  const indexTable = (JSON.parse(readFileSync(config, 'utf8')) as { indexTable: string }).indexTable;
  const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  const event = cardPayment(1, T0, 'CARD-1');
  const [stored] = await new S3EventLog({ client: s3, bucket }).append([event]);
  const index = new DynamoDbEventIndex({ client: dynamodb, tableName: indexTable });
  await index.put([{ id: stored!.id, type: event.EventType, timestamp: T0, accounts: accountsOf(event), location: stored!.location, size: stored!.size, storageClass: 'STANDARD', restore: 'NONE' }]);
  return { config, index, key: stored!.location.key, close: () => { s3.destroy(); dynamodb.destroy(); } };
}

const withSchemas = (config: string, ...args: string[]) => cli(['--config', config, '--schemas', ACCOUNT_FIELDS_SCHEMAS, ...args]);
const touching = async (config: string, account: string) =>
  (await withSchemas(config, 'events', '--since', String(T0 - 10), '--until', String(T0 + 10), '--account', account, '--json')).stdout.trim();

const test = suite('eventlake --target aws repair index: accounts');
test.after.each(() => {
  for (const name of STACK_ENV) delete process.env[name];
});

test('an event stored before its type declared accounts is found by events --account after the repair', async () => {
  const { config, close } = await stackWithCardPayment();
  assert.is(await touching(config, 'CARD-1'), '');
  const r = await withSchemas(config, 'repair', 'index', '--json');
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { accounts: { scanned: number; updated: number; byType: Record<string, { updated: number }> } };
  assert.equal([report.accounts.scanned, report.accounts.updated, report.accounts.byType['card_payment']?.updated], [1, 1, 1]);
  assert.match(await touching(config, 'CARD-1'), /"accounts":\["CARD-1"\]/);
  close();
});

test('archived objects are listed with the restore fix and the command exits 1, then 0 once they are restored', async () => {
  const { config, index, key, close } = await stackWithCardPayment();
  await index.setObjectStorage(key, 'GLACIER', 'NONE');
  const left = await withSchemas(config, 'repair', 'index');
  assert.is(left.code, 1, left.stderr);
  assert.match(left.stdout, `${key} is in GLACIER`);
  // Spelled with the options that chose the stack and its schemas, so it restores from the same stack.
  assert.match(left.stdout, `(eventlake --schemas ${ACCOUNT_FIELDS_SCHEMAS} --config ${config} restore --keys KEY..., or --since/--until) and run eventlake --schemas ${ACCOUNT_FIELDS_SCHEMAS} --config ${config} repair index again`);
  await index.setObjectStorage(key, 'GLACIER', 'RESTORED');
  const done = await withSchemas(config, 'repair', 'index');
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /accounts: 1 scanned, 1 updated, 0 already right, 0 archived/);
  close();
});

test.run();
