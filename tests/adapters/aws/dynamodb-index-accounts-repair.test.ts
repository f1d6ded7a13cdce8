// repairIndexAccounts on s3rver and DynamoDB Local: entries of events stored before their type declared
// x-eventlake-accounts get the declared accounts; right ones, unknown types and concurrent writes are left alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, InvalidObjectState, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { repairIndexAccounts, type AccountsRepairSources } from '../../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { accountsOf, type DomainEvent } from '../../../domain/event.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { accountFieldsRegistry, cardPayment, transfer } from '../../support/account-fields.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';

const T0 = 1_700_000_000;
const registry = accountFieldsRegistry();
const known = new Set(registry.types().map((t) => t.type));

/** Events stored in S3 and indexed under `indexedUnder` (default: a lake without declarations, accountsOf's defaults). */
async function lake(events: DomainEvent[], storageClass: StorageClass = 'STANDARD', indexedUnder: (e: DomainEvent) => string[] = accountsOf) {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const table = await db.createTable(EVENT_INDEX_TABLE, 'acct-repair');
  const stored = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  const index = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await index.put(stored.map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp, accounts: indexedUnder(events[i]!),
    location: r.location, size: r.size, storageClass, restore: 'NONE' as const, digest: eventDigest(events[i]!), // as today's indexer records it
  })));
  const sources: AccountsRepairSources = {
    dynamodb: db.client, table, s3: s3.client, bucket: s3.bucket, accountsOf: registry.accountsOf, knowsType: (t) => known.has(t),
  };
  return { sources, index, ids: stored.map((r) => r.id), client: db.client };
}

/** UpdateItem calls `client` sends while `fn` runs. */
async function updatesDuring<T>(client: DynamoDBClient, fn: () => Promise<T>): Promise<{ result: T; updates: number }> {
  let updates = 0;
  const name = `count-${Math.random()}`;
  client.middlewareStack.add((next, context) => async (args) => {
    if (context['commandName'] === 'UpdateItemCommand') updates++;
    return next(args);
  }, { step: 'initialize', name });
  try {
    return { result: await fn(), updates };
  } finally {
    client.middlewareStack.remove(name);
  }
}

const accountsIn = async (index: DynamoDbEventIndex, account: string) => {
  const ids: string[] = [];
  for await (const e of index.between({ from: 0, to: T0 + 3600, accounts: [account] })) ids.push(e.id);
  return ids;
};

const test = suite('repairIndexAccounts');

test('an event indexed before its type declared accounts is found under the declared account after the repair', async () => {
  const { sources, index, ids } = await lake([cardPayment(1, T0, 'CARD-1')]);
  assert.equal(await accountsIn(index, 'CARD-1'), []);
  const report = await repairIndexAccounts(sources);
  assert.equal([report.scanned, report.updated, report.byType['card_payment']?.updated], [1, 1, 1]);
  assert.equal(await accountsIn(index, 'CARD-1'), ids);
  assert.equal(await accountsIn(index, 'SHOP-0001'), [], 'the merchant account is no longer one of its accounts');
});

test('entries whose accounts are already right are not written, and a second run writes nothing', async () => {
  // The second was indexed by an indexer that already had the declaration.
  const { sources, client } = await lake([cardPayment(1, T0, 'CARD-1'), cardPayment(2, T0 + 1, 'CARD-2')], 'STANDARD',
    (e) => (e.RequestId.endsWith('2') ? registry.accountsOf(e) : accountsOf(e)));
  const { result, updates } = await updatesDuring(client, () => repairIndexAccounts(sources));
  assert.equal([result.updated, result.alreadyRight, updates], [1, 1, 1]);
  const again = await updatesDuring(client, () => repairIndexAccounts(sources));
  assert.equal([again.result.scanned, again.result.alreadyRight, again.result.updated, again.updates], [2, 2, 0, 0]);
});

test('a type no loaded schema knows is left untouched and reported by type', async () => {
  // Stored by a lake whose schemas knew it (a folder this run was not given), and indexed under its SourceAccount.
  const unknown = { ...transfer(1, T0, 'ACC-1', 'ACC-2'), EventType: 'loyalty_points' } as DomainEvent;
  const { sources, index, client } = await lake([unknown]);
  const { result, updates } = await updatesDuring(client, () => repairIndexAccounts(sources));
  assert.equal(result.unknownTypes, [{ type: 'loyalty_points', entries: 1 }]);
  assert.equal([result.scanned, updates], [0, 0]);
  assert.is((await accountsIn(index, 'ACC-1')).length, 1);
});

test('entries of an archived object are skipped without a read and listed with their object', async () => {
  const { sources, client } = await lake([cardPayment(1, T0, 'CARD-1')], 'GLACIER');
  const { result, updates } = await updatesDuring(client, () => repairIndexAccounts(sources));
  assert.equal([result.scanned, result.archivedSkipped, result.updated, updates], [1, 1, 0, 0]);
  assert.equal(result.archivedObjects.map((o) => [o.storageClass, o.entries]), [['GLACIER', 1]]);
});

test('an object S3 answers as archived (the index not yet told) is skipped and listed', async () => {
  const { sources } = await lake([cardPayment(1, T0, 'CARD-1')]);
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  mockClient(s3).on(GetObjectCommand).rejects(new InvalidObjectState({ message: 'The operation is not valid for the object\'s storage class', $metadata: {} }));
  const result = await repairIndexAccounts({ ...sources, s3 });
  assert.equal([result.archivedSkipped, result.updated, result.archivedObjects.length], [1, 0, 1]);
});

test('an object gone since its hour was read (compacted meanwhile) counts its entries as missing, and the repair goes on', async () => {
  const { sources } = await lake([cardPayment(1, T0, 'CARD-1'), cardPayment(2, T0 + 7200, 'CARD-2')]);
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  // The first hour's object is gone (NoSuchKey); the second hour's is read as stored.
  const real = sources.s3;
  mockClient(s3).on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    if (input.Key.includes('hour=22')) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return real.send(new GetObjectCommand(input as never));
  });
  const result = await repairIndexAccounts({ ...sources, s3 });
  assert.equal([result.scanned, result.missing, result.updated], [2, 1, 1]);
});

test('accounts another writer sets between the scan and the update are kept, and reported', async () => {
  const { sources, index, client } = await lake([cardPayment(1, T0, 'CARD-1')]);
  const name = 'concurrent-writer';
  let raced = false;
  client.middlewareStack.add((next, context) => async (args) => {
    if (context['commandName'] === 'UpdateItemCommand' && !raced) {
      raced = true;
      const key = (args.input as { Key: Record<string, never> }).Key;
      await client.send(new UpdateItemCommand({
        TableName: sources.table, Key: key, UpdateExpression: 'SET #a = :a, #a0 = :x',
        ExpressionAttributeNames: { '#a': 'accounts', '#a0': 'acct0' }, ExpressionAttributeValues: { ':a': { L: [{ S: 'OTHER' }] }, ':x': { S: 'OTHER' } },
      }));
    }
    return next(args);
  }, { step: 'initialize', name });
  try {
    const result = await repairIndexAccounts(sources);
    assert.equal([result.updated, result.changedConcurrently], [0, 1]);
  } finally {
    client.middlewareStack.remove(name);
  }
  assert.is((await accountsIn(index, 'OTHER')).length, 1);
  assert.equal(await accountsIn(index, 'CARD-1'), []);
});

test.run();
