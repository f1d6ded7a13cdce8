// The ProjectionStore contract against DynamoDbProjectionStore on DynamoDB Local (or the opt-in integration endpoint).
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { projectionStoreContract } from '../../contracts/projection-store.contract.ts';
import { dynamoDb, INTEGRATION } from '../../support/dynamodb-local.ts';

projectionStoreContract('DynamoDbProjectionStore', async () => {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  return { subject: new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('proj'), tableSettings: { pointInTimeRecovery: db.pitr } }) };
}, INTEGRATION ? { propertyRuns: 3 } : {});
