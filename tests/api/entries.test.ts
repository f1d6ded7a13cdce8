// The package's entries as a user's code meets them: what `import … from 'eventlake…'` loads, what it refuses, and
// that the AWS adapters are built from SDK clients the caller owns, with typed errors and no network at construction.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { EventlakeError, UnsupportedOnTargetError } from 'eventlake';
import {
  DynamoDbCheckpointStore, DynamoDbEventIndex, DynamoDbPitrSnapshotStore, DynamoDbProjectionStore, EventBridgeDispatcher,
  openAwsEventlake, S3ArchiveTier, S3EventLog, type AwsEventlakeConfig,
} from 'eventlake/aws';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The npm packages an import of `entry` loads (CommonJS ones: those are in require's cache), in a fresh process. */
function packagesLoadedBy(entry: string): string[] {
  const script = `import { createRequire } from 'node:module'; await import(${JSON.stringify(entry)});
    const names = Object.keys(createRequire(import.meta.url).cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k)?.[1]);
    console.log(JSON.stringify([...new Set(names.filter(Boolean))]));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

// Port 1 on the loopback refuses at once: nothing leaves the machine, and no test waits for a timeout.
const closed = { region: 'eu-central-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };

const test = suite('api: the package entries');

test('`eventlake` loads no adapter: neither SQLite, DuckDB nor the AWS SDK', () => {
  const loaded = packagesLoadedBy('eventlake');
  assert.ok(loaded.includes('ajv'), `the probe sees CommonJS packages (${loaded.join(', ')})`);
  assert.equal(loaded.filter((p) => /^(better-sqlite3|@duckdb\/|@aws-sdk\/)/.test(p)), []);
});

test('a deep import is refused by the "exports" map: only the four entries are public', async () => {
  const deep = await import('eventlake/projections/lifecycle.ts' as string).then(() => undefined, (e: unknown) => e);
  assert.is((deep as { code?: string }).code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('eventlake/aws exports each Lambda function\'s factory, the compaction one included, for a handler of your own', async () => {
  const aws = await import('eventlake/aws');
  assert.equal(['createIndexer', 'createProjector', 'createRebuildHandler', 'createCompaction'].filter((n) => typeof (aws as Record<string, unknown>)[n] !== 'function'), []);
});

test('every AWS adapter is constructed from an injected client without calling it', () => {
  const s3 = new S3Client({ ...closed, forcePathStyle: true });
  const dynamodb = new DynamoDBClient(closed);
  const store = new DynamoDbProjectionStore({ client: dynamodb, controlTableName: 'eventlake-control' });
  const built = [
    new S3EventLog({ client: s3, bucket: 'acme-events' }),
    new S3ArchiveTier({ client: s3, bucket: 'acme-events' }),
    new DynamoDbEventIndex({ client: dynamodb, tableName: 'eventlake-index' }),
    store,
    new DynamoDbPitrSnapshotStore({ client: dynamodb, controlTableName: 'eventlake-control', tableFor: store.tableFor }),
    new DynamoDbCheckpointStore({ client: dynamodb, controlTableName: 'eventlake-control' }),
    new EventBridgeDispatcher({ client: new EventBridgeClient(closed), eventBusName: 'eventlake', bucket: 'acme-events' }),
  ];
  assert.is(built.length, 7);
  assert.is(store.tableFor('balances', 2), 'eventlake-balances-g2');
});

test('openAwsEventlake on injected clients answers an unreachable service with an eventlake error, not a raw SDK one', async () => {
  const config: AwsEventlakeConfig = {
    region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control',
    clients: { s3: new S3Client({ ...closed, forcePathStyle: true }), dynamodb: new DynamoDBClient(closed) },
  };
  const lake = await openAwsEventlake(config);
  try {
    const failed = await lake.lake.balance('DE44-5001-0517').then(() => undefined, (e: unknown) => e);
    assert.instance(failed, EventlakeError);
    assert.match((failed as EventlakeError).code, /^(STORAGE_FAILED|TRANSIENT)$/);
    const dlq = await lake.deadLetters.list().then(() => undefined, (e: unknown) => e);
    assert.instance(dlq, UnsupportedOnTargetError);
  } finally {
    await lake.close();
  }
});

test.run();
