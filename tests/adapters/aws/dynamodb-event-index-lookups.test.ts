// DynamoDbEventIndex.getMany: the emit's index reads in batches, and what one emit costs in DynamoDB calls.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { entriesById } from '../../../adapters/aws/dynamodb-event-index-lookups.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { TransientError } from '../../../domain/errors.ts';
import { partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';
import { SAMPLES } from '../../support/samples.ts';

const T0 = 1_700_000_000;
const entry = (id: string): NewIndexEntry => ({
  id, type: 'cash_deposit', timestamp: T0, accounts: [], location: { key: `${partitionPrefix(T0)}${id}.event` }, size: 100, storageClass: 'STANDARD', restore: 'NONE',
});

/** DynamoDB commands `client` sends while `fn` runs, by name. */
async function commandsOf(client: DynamoDBClient, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const name = `count-${Math.random()}`;
  client.middlewareStack.add((next, context) => async (args) => { seen.push(String(context['commandName'])); return next(args); }, { step: 'initialize', name });
  try {
    await fn();
  } finally {
    client.middlewareStack.remove(name);
  }
  return seen;
}

const test = suite('DynamoDbEventIndex.getMany');

test('every indexed id of more than one batch (100 keys) is found, an id not indexed is left out', async () => {
  const db = await dynamoDb();
  const index = new DynamoDbEventIndex({ client: db.client, tableName: await db.createTable(EVENT_INDEX_TABLE, 'index') });
  const ids = Array.from({ length: 130 }, (_, i) => `cash_deposit_${i}`);
  const stored = await index.put(ids.map(entry));
  const found = await index.getMany([...ids, 'cash_deposit_missing', ids[0]!]);
  assert.equal([...found.keys()].sort(), [...ids].sort());
  assert.equal(found.get(ids[129]!), stored[129]);
});

test('keys DynamoDB leaves unprocessed are asked for again', async () => {
  const asked: number[] = [];
  const client = {
    send: async (command: { input: { RequestItems: Record<string, { Keys: unknown[] }> } }) => {
      const keys = command.input.RequestItems['t']!.Keys;
      asked.push(keys.length);
      // The first call leaves its last key unprocessed (throttled); no guard is found, so no entry is read.
      return asked.length === 1 ? { Responses: { t: [] }, UnprocessedKeys: { t: { Keys: keys.slice(-1) } } } : { Responses: { t: [] } };
    },
  } as unknown as DynamoDBClient;
  const found = await entriesById({ client, table: 't', concurrency: 1 }, ['a', 'b', 'c']);
  assert.equal([asked, found.size], [[3, 1], 0]);
});

test('keys still unprocessed after six calls fail the lookup as transient', async () => {
  const client = {
    send: async (command: { input: { RequestItems: Record<string, { Keys: unknown[] }> } }) => ({ UnprocessedKeys: { t: { Keys: command.input.RequestItems['t']!.Keys } } }),
  } as unknown as DynamoDBClient;
  const error = await rejects(() => entriesById({ client, table: 't', concurrency: 1 }, ['a']), TransientError);
  assert.ok(error.message.includes('retry the emit'), error.message);
});

test('an emit of new events on AWS reads the index in one BatchGetItem and claims them in one TransactWriteItems per 100 identities, not calls per event', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  const rt = await openAwsEventlake({ bucket: s3.bucket, indexTable, controlTable, clients: { s3: s3.client, dynamodb: db.client } });
  try {
    const deposit = SAMPLES['cash_deposit']! as DomainEvent;
    const events = Array.from({ length: 20 }, (_, i) => ({ ...deposit, RequestId: `${deposit.RequestId.slice(0, -2)}${String(i).padStart(2, '0')}` }));
    assert.equal(await commandsOf(db.client, () => rt.lake.emit(events)), ['BatchGetItemCommand', 'TransactWriteItemsCommand']);
  } finally {
    await rt.close();
  }
});

test.run();
