// The EventIndex contract against DynamoDbEventIndex on DynamoDB Local (or the opt-in integration endpoint).
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventIndexContract } from '../../contracts/event-index.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

eventIndexContract('DynamoDbEventIndex', async () => {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return { subject: new DynamoDbEventIndex({ client: db.client, tableName }), cleanup: () => db.deleteTable(tableName) };
});
