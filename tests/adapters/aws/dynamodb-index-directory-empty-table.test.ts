// A range read of an index no event has reached yet (a freshly deployed stack: no entries, so no writer has put the
// directory's marker) answers at once with nothing, instead of querying every hour of the range one at a time
// (`events --since 0` before the first event: ≈ 490,000 Queries). An index with entries and no marker (indexed
// before the directory) is still read hour by hour, finding every entry.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry as entry, idsBetween as ids } from '../../support/index-entries.ts';
import { commandCounter, forgetDirectory } from '../../support/pre-directory-index.ts';

const T0 = Date.parse('2024-04-24T00:00:00Z') / 1000;
const YEAR = 365 * 86_400;
const db = await dynamoDb();
const sent = commandCounter(db.client);


const test = suite('DynamoDbEventIndex hour directory: an index holding nothing');

test('a year\'s range on an empty index answers nothing without a Query per hour', async () => {
  const index = new DynamoDbEventIndex({ client: db.client, tableName: await db.createTable(EVENT_INDEX_TABLE, 'index') });
  sent.reset();
  assert.equal(await ids(index, T0 - YEAR, T0), []);
  assert.is(sent.count('QueryCommand'), 0);
});

test('an index with entries and no marker is still read hour by hour, every entry found', async () => {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'index');
  const index = new DynamoDbEventIndex({ client: db.client, tableName: table });
  await index.put([entry('a', T0 - 3 * 3600 + 5), entry('b', T0 - 600)]);
  await forgetDirectory(db.client, table);
  sent.reset();
  assert.equal(await ids(index, T0 - 4 * 3600, T0), ['a', 'b']);
  assert.is(sent.count('QueryCommand'), 4);
});

test.run();
