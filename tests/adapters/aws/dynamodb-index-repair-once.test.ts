// repairAwsIndexTable (`repair index --target aws`) on s3rver and DynamoDB Local: one key-only Scan pass of the index
// feeds both the hour-directory backfill and the accounts re-derivation, which report what they did with two; a
// failure half way says which step did not finish and to run the repair again, and a re-run finishes it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetItemCommand, ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { repairAwsIndexTable, repairIndexDirectory } from '../../../adapters/aws/dynamodb-index-backfill.ts';
import { repairIndexAccounts } from '../../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { markerKey } from '../../../adapters/aws/dynamodb-index-directory.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { StorageError, TransientError } from '../../../domain/errors.ts';
import { accountsOf } from '../../../domain/event.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { accountFieldsRegistry, cardPayment } from '../../support/account-fields.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { forgetDirectory } from '../../support/pre-directory-index.ts';
import { s3Target } from '../../support/s3rver.ts';

const HOUR = 3600;
const T0 = 1_700_000_000 - (1_700_000_000 % HOUR);
const registry = accountFieldsRegistry();
const known = new Set(registry.types().map((t) => t.type));
const schemas = { accountsOf: registry.accountsOf, knowsType: (t: string) => known.has(t) };
const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);

/** Card payments over 5 hours, stored one per object and indexed without the declarations, with no hour directory. */
async function entries(): Promise<NewIndexEntry[]> {
  const events = Array.from({ length: 10 }, (_, i) => cardPayment(i + 1, T0 + Math.floor(i / 2) * HOUR + i, `CARD-${i + 1}`));
  const stored = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  return stored.map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp, accounts: accountsOf(events[i]!),
    location: r.location, size: r.size, storageClass: 'STANDARD', restore: 'NONE',
  }));
}

/** An index table holding `indexed`, as a version before the hour directory left it; the repair's config. */
async function preDirectoryIndex(indexed: NewIndexEntry[]) {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'repair-once');
  await new DynamoDbEventIndex({ client: db.client, tableName: table }).put(indexed);
  await forgetDirectory(db.client, table);
  return { indexTable: table, bucket: s3.bucket, clients: { dynamodb: db.client, s3: s3.client } };
}

/** Runs `fn` with `watch` seeing every command `client` sends (its name and input) before it is sent. */
async function watching<T>(client: DynamoDBClient, watch: (command: string, input: Record<string, unknown>) => void, fn: () => Promise<T>): Promise<T> {
  const name = `watch-${Math.random()}`;
  client.middlewareStack.add((next, context) => (args) => {
    watch(String(context['commandName']), args.input as Record<string, unknown>);
    return next(args);
  }, { step: 'initialize', name });
  try {
    return await fn();
  } finally {
    client.middlewareStack.remove(name);
  }
}

const markerOf = async (table: string) => (await db.client.send(new GetItemCommand({ TableName: table, Key: markerKey(), ConsistentRead: true }))).Item;

const test = suite('repairAwsIndexTable: one Scan for both steps');
test.before.each(() => s3.empty());

test('one run starts each parallel Scan segment of the index once: the backfill and the accounts repair share the pass', async () => {
  const config = await preDirectoryIndex(await entries());
  const starts: number[] = [];
  let segments = 0;
  const report = await watching(db.client, (command, input) => {
    if (command !== 'ScanCommand' || input['ExclusiveStartKey']) return;
    starts.push(Number(input['Segment']));
    segments = Number(input['TotalSegments']);
  }, () => repairAwsIndexTable(config, schemas));
  assert.is(report.accounts.updated, 10);
  assert.ok(segments > 1, 'a parallel Scan');
  assert.equal(starts.sort((a, b) => a - b), Array.from({ length: segments }, (_, i) => i), `segments started: ${starts.join(', ')}`);
});

test('the one-scan run reports and writes what the backfill and the accounts repair did with a Scan each', async () => {
  const indexed = await entries();
  const [once, twice] = [await preDirectoryIndex(indexed), await preDirectoryIndex(indexed)];
  const report = await repairAwsIndexTable(once, schemas);
  const directory = await repairIndexDirectory(twice);
  const accounts = await repairIndexAccounts({ dynamodb: db.client, table: twice.indexTable, s3: s3.client, bucket: s3.bucket, ...schemas });
  assert.equal({ ...report, table: twice.indexTable }, { ...directory, accounts });
  assert.equal([report.hours, report.first, report.last, report.accounts.updated], [5, T0, T0 + 4 * HOUR, 10]);
  assert.equal((await markerOf(once.indexTable))?.['since'], { N: '0' });
  const index = new DynamoDbEventIndex({ client: db.client, tableName: once.indexTable });
  const found: string[] = [];
  for await (const e of index.between({ from: T0, to: T0 + 5 * HOUR, accounts: ['CARD-3'] })) found.push(e.id);
  assert.is(found.length, 1, 'the repaired entry is found by its declared account');
});

/** Make every command of `client` that `when` picks throw `error()` before it is sent; returns the undo. */
function failing(client: DynamoDBClient, when: (command: string, input: Record<string, unknown>) => boolean, error: () => Error): () => void {
  const name = `fail-${Math.random()}`;
  client.middlewareStack.add((next, context) => async (args) => {
    if (when(String(context['commandName']), args.input as Record<string, unknown>)) throw error();
    return next(args);
  }, { step: 'initialize', name });
  return () => client.middlewareStack.remove(name);
}

/** Every Scan of segment 2 throttled: the pass fails half way, the other segments having answered. */
const throttleSegment2 = (client: DynamoDBClient) => failing(client, (command, input) => command === 'ScanCommand' && input['Segment'] === 2,
  () => new ProvisionedThroughputExceededException({ message: 'injected: the table\'s read capacity is spent', $metadata: {} }));

test('a Scan throttled half way stops the run before either step writes, naming both steps as not done and the re-run', async () => {
  const config = await preDirectoryIndex(await entries());
  const writes: string[] = [];
  const stop = throttleSegment2(db.client);
  const error = await watching(db.client, (command) => { if (!/^(Scan|Get|Query)/.test(command)) writes.push(command); },
    () => rejects(() => repairAwsIndexTable(config, schemas), TransientError)).finally(stop);
  for (const part of [config.indexTable, 'Scan', 'hour directory', 'was not backfilled', 'no entry\'s accounts were re-derived', 'ProvisionedThroughputExceededException', 'run eventlake --target aws repair index again']) {
    assert.ok(error.message.includes(part), `"${part}" missing from: ${error.message}`);
  }
  assert.equal(writes, [], 'nothing written');
  assert.is(await markerOf(config.indexTable), undefined);
});

test('a lost connection while re-deriving the accounts says the hour directory is complete and the accounts step did not finish', async () => {
  const config = await preDirectoryIndex(await entries());
  const undo = failing(db.client, (command) => command === 'QueryCommand', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  const error = await rejects(() => repairAwsIndexTable(config, schemas), TransientError).finally(undo);
  for (const part of [`hour directory of ${config.indexTable} is complete (5 hours hold events)`, 're-deriving the accounts', 'did not finish', 'could not be reached', 'run eventlake --target aws repair index again']) {
    assert.ok(error.message.includes(part), `"${part}" missing from: ${error.message}`);
  }
  assert.equal((await markerOf(config.indexTable))?.['since'], { N: '0' });
});

test('access denied while backfilling the directory says neither step finished, and to fix the cause and run it again', async () => {
  const config = await preDirectoryIndex(await entries());
  const undo = failing(db.client, (command) => command === 'BatchWriteItemCommand',
    () => Object.assign(new Error('not authorized to perform dynamodb:BatchWriteItem'), { name: 'AccessDeniedException' }));
  const error = await rejects(() => repairAwsIndexTable(config, schemas), StorageError).finally(undo);
  for (const part of [`backfilling the hour directory of ${config.indexTable} did not finish`, 'no entry\'s accounts were re-derived', 'AccessDeniedException', 'fix the cause above, then run eventlake --target aws repair index again']) {
    assert.ok(error.message.includes(part), `"${part}" missing from: ${error.message}`);
  }
});

test('a missing index table is refused with the config fix (indexTable, IndexTableName), not a re-run', async () => {
  const error = await rejects(() => repairAwsIndexTable({ indexTable: db.uniqueName('absent'), bucket: s3.bucket, region: 'us-east-1', clients: { dynamodb: db.client, s3: s3.client } }, schemas), StorageError);
  for (const part of ['not found in us-east-1', 'indexTable', 'IndexTableName']) assert.ok(error.message.includes(part), `"${part}" missing from: ${error.message}`);
  assert.not.match(error.message, 'run eventlake --target aws repair index again');
});

test('a run after one stopped by a throttled Scan backfills and repairs everything', async () => {
  const config = await preDirectoryIndex(await entries());
  const stop = throttleSegment2(db.client);
  await rejects(() => repairAwsIndexTable(config, schemas), TransientError).finally(stop);
  const report = await repairAwsIndexTable(config, schemas);
  assert.equal([report.hours, report.accounts.scanned, report.accounts.updated], [5, 10, 10]);
});

test.run();
