// The EventIndex contract against DynamoDbEventIndex on DynamoDB Local (or the opt-in integration endpoint), with
// Queries of 7 items: a few dozen entries then span many pages, which DynamoDB's own 1 MB pages never would.
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventIndexContract } from '../../contracts/event-index.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { continuedQueries } from '../../support/dynamodb-query-pages.ts';

const PAGE = 7;

eventIndexContract('DynamoDbEventIndex', async () => {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  return {
    subject: new DynamoDbEventIndex({ client: db.client, tableName, pageSize: PAGE }), pageSize: PAGE,
    continuedPages: continuedQueries(db.client), cleanup: () => db.deleteTable(tableName),
  };
});
