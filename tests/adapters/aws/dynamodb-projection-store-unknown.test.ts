// The unknown-projection cases of the ProjectionStore contract against DynamoDbProjectionStore on DynamoDB Local (or
// the opt-in integration endpoint).
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { projectionStoreUnknownContract } from '../../contracts/projection-store-unknown.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

projectionStoreUnknownContract('DynamoDbProjectionStore', async (projections) => {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  return {
    subject: new DynamoDbProjectionStore({
      client: db.client, controlTableName, tablePrefix: db.uniqueName('proj'), tableSettings: { pointInTimeRecovery: db.pitr }, ...(projections ? { projections } : {}),
    }),
  };
});
