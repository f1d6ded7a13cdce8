// A range read whose end lies past every time the DynamoDB index can key (DynamoDB Local): the hour directory is
// listed per UTC year, and a year past JavaScript's last Date is no year at all, so such a range must be refused
// rather than answered with no events. checkRangeBounds refuses it first, as epoch ms (anything past 2100-01-01).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { hotEntry as entry, idsBetween as ids } from '../../support/index-entries.ts';
import { rejects } from '../../support/async.ts';

const T0 = Date.parse('2024-04-24T00:00:00Z') / 1000;

const db = await dynamoDb();


const test = suite('DynamoDbEventIndex hour directory: the far end of a range');

test('a range ending past the last epoch second the index keys is refused with INVALID_ARGUMENT naming to, not answered empty', async () => {
  const index = new DynamoDbEventIndex({ client: db.client, tableName: await db.createTable(EVENT_INDEX_TABLE, 'index') });
  await index.put([entry('a', T0 + 5)]);
  const error = await rejects(() => ids(index, T0, Number.MAX_SAFE_INTEGER), InvalidArgumentError);
  assert.match(error.message, /^to: /);
  assert.match(error.message, /looks like epoch ms; give seconds/);
});

test('a range ending at the last second an EventTimeStamp may hold is answered, not refused', async () => {
  const index = new DynamoDbEventIndex({ client: db.client, tableName: await db.createTable(EVENT_INDEX_TABLE, 'index') });
  await index.put([entry('a', T0 + 5)]);
  assert.equal(await ids(index, T0, 4102444801), ['a']);
});

test.run();
