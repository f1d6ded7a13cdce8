// Declared account fields (x-eventlake-accounts) are found by DynamoDbEventIndex's account GSIs, on DynamoDB Local.
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { accountFieldsIndexContract } from '../../contracts/account-fields-index.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

accountFieldsIndexContract('DynamoDbEventIndex', async () => {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return { subject: new DynamoDbEventIndex({ client: db.client, tableName }), cleanup: () => db.deleteTable(tableName) };
});
