// The unreadable objects of a 90-day range on DynamoDB Local: read from the hours the directory lists, without a Scan,
// and the same answer from the Scan an index older than the directory still needs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { commandCounter, forgetDirectory } from '../../support/pre-directory-index.ts';

const DAY = 86_400;
const FROM = Date.parse('2024-01-01T00:00:00Z') / 1000;
const RANGE = { from: FROM, to: FROM + 90 * DAY };

const archived = (id: string, timestamp: number, restore: 'NONE' | 'RESTORING' | 'RESTORED'): NewIndexEntry =>
  ({ ...hotEntry(id, timestamp), storageClass: 'GLACIER', restore });

/** Archived objects inside the range (one being restored, one restored), a hot one, and one past the range. */
const ENTRIES = [
  archived('cold', FROM + 3600, 'NONE'), archived('thawing', FROM + 45 * DAY, 'RESTORING'), archived('thawed', FROM + 46 * DAY, 'RESTORED'),
  hotEntry('hot', FROM + 50 * DAY), archived('later', FROM + 120 * DAY, 'NONE'),
];
const key = (id: string) => ENTRIES.find((e) => e.id === id)!.location.key;
const EXPECTED = { unreadable: [key('cold'), key('thawing')].sort(), restoring: [key('thawing')] };

const db = await dynamoDb();
const sent = commandCounter(db.client);

async function lake() {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const index = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await index.put(ENTRIES);
  sent.reset();
  return { table, index };
}

const test = suite('DynamoDbEventIndex unreadable objects of a long range (DynamoDB Local)');

test('a 90-day range of a new index lists its unrestored objects without a Scan', async () => {
  const { index } = await lake();
  assert.equal(await index.unreadableWithRestores(RANGE), EXPECTED);
  assert.is(sent.count('ScanCommand'), 0);
});

test('a 90-day range of an index older than the directory gives the same objects from one Scan', async () => {
  const { table, index } = await lake();
  await forgetDirectory(db.client, table);
  sent.reset();
  assert.equal(await index.unreadableWithRestores(RANGE), EXPECTED);
  assert.is(sent.count('ScanCommand'), 1);
  // Not one Query per hour of the range: 2,160 of them, most empty.
  assert.is(sent.count('QueryCommand'), 0);
});

test.run();
