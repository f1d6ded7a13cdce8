// DynamoDbEventIndex on DynamoDB Local: an entry's content digest is an attribute of its item, read back by get().
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { entryKey } from '../../../adapters/aws/dynamodb-index-items.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import { EVENT_INDEX_TABLE, INDEX_ATTR } from '../../../adapters/aws/table-keys.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { SAMPLES } from '../../support/samples.ts';

const deposit = SAMPLES['cash_deposit']!;

async function makeIndex() {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return { client: db.client, tableName, index: new DynamoDbEventIndex({ client: db.client, tableName }) };
}

const test = suite('DynamoDbEventIndex: content digests');

test('the item of an entry the indexer builds carries its content digest, and get() reads it back', async () => {
  const { client, tableName, index } = await makeIndex();
  const entry = indexEntryOf({ event: deposit, location: { key: eventKey(deposit) } });
  await index.put([entry]);
  const item = (await client.send(new GetItemCommand({ TableName: tableName, Key: entryKey(entry), ConsistentRead: true }))).Item;
  assert.equal(item?.[INDEX_ATTR.digest], { S: eventDigest(deposit) });
  assert.is((await index.get(eventId(deposit)))?.digest, eventDigest(deposit));
});

test('an item written without a digest (before digests) reads back with none', async () => {
  const { client, tableName, index } = await makeIndex();
  const entry = hotEntry('cash_deposit_old', 1_714_000_000);
  await index.put([entry]);
  const item = (await client.send(new GetItemCommand({ TableName: tableName, Key: entryKey(entry), ConsistentRead: true }))).Item;
  assert.is(item?.[INDEX_ATTR.digest], undefined);
  assert.not.ok('digest' in (await index.get('cash_deposit_old'))!);
});

test.run();
