// `eventlake check --target aws`: the stack named by the config file (here s3rver and DynamoDB Local) is checked
// log against index, with the local check's exit codes: 0 whole, 1 not whole (the report on stdout), 2 could not check.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../adapters/aws/dynamodb-tables.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../adapters/aws/table-keys.ts';
import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { accountsOf, type DomainEvent } from '../../domain/event.ts';
import { runCli as cli } from '../security/cli-run.ts';
import { dynamoDb } from '../support/dynamodb-local.ts';
import { s3Target } from '../support/s3rver.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** A stack on the test services holding `stored` events, the first `indexed` of them indexed; its config file. */
async function stack(stored: number, indexed = stored): Promise<{ config: string; bucket: string }> {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [s3Url, dbUrl] = await Promise.all([s3.client.config.endpoint!(), db.client.config.endpoint!()]);
  // The CLI takes one set of credentials from the environment, and s3rver accepts only its own; DynamoDB Local keeps
  // one database per access key, so the tables are made under s3rver's key for the CLI to find.
  const dynamodb = new DynamoDBClient({ endpoint: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const [indexTable, controlTable] = [db.uniqueName('index'), db.uniqueName('control')];
  await Promise.all([ensureTable(dynamodb, indexTable, EVENT_INDEX_TABLE), ensureTable(dynamodb, controlTable, CONTROL_TABLE)]);
  const events = Array.from({ length: stored }, (_, i) => depositNo(i + 1));
  const results = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  await new DynamoDbEventIndex({ client: dynamodb, tableName: indexTable }).put(results.slice(0, indexed).map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp, accounts: accountsOf(events[i]!),
    location: r.location, size: r.size, storageClass: 'STANDARD' as const, restore: 'NONE' as const,
  })));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: `${s3Url.protocol}//${s3Url.hostname}:${s3Url.port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({
    target: 'aws', region: 'us-east-1', bucket: s3.bucket, indexTable, controlTable,
    tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: false, forcePathStyle: true,
  }));
  return { config, bucket: s3.bucket };
}

const test = suite('eventlake check --target aws');
const ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
test.after.each(() => {
  for (const name of ENV) delete process.env[name];
});

test('a stack whose every stored event is indexed is whole: exit 0', async () => {
  const { config, bucket } = await stack(3);
  const r = await cli(['--config', config, 'check']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `s3://${bucket}: whole`);
  assert.match(r.stdout, 'checked 3 objects (0 restored copies), 3 event lines, 3 index entries');
});

test('a stored event no index entry holds makes the stack not whole: exit 1, the finding and its example on stdout', async () => {
  const { config } = await stack(3, 2);
  const r = await cli(['--config', config, 'check']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, 'NOT whole');
  assert.match(r.stdout, /unindexedEvent: 1 — /);
});

test('--json gives the report as one JSON object with every finding kind', async () => {
  const { config } = await stack(2, 1);
  const r = await cli(['--config', config, 'check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { target: string; whole: boolean; findings: Record<string, { count: number }> };
  assert.equal([report.target, report.whole, report.findings['unindexedEvent']!.count, report.findings['missingObject']!.count], ['aws', false, 1, 0]);
});

test('a stack that cannot be read (no such index table) exits 2 with the error on stderr and nothing on stdout', async () => {
  const { config } = await stack(1);
  const broken = join(tempDir(), 'broken.json');
  writeFileSync(broken, JSON.stringify({ ...(JSON.parse(readFileSync(config, 'utf8')) as object), indexTable: 'no-such-table' }));
  const r = await cli(['--config', broken, 'check']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.ok(r.stderr.length > 0);
});

test('a bad --limit exits 2 before the stack is opened', async () => {
  const { config } = await stack(0);
  const r = await cli(['--config', config, 'check', '--limit', 'lots']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--limit');
});

test.run();
