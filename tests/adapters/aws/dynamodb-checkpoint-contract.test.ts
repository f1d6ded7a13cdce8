// The CheckpointStore contract against DynamoDbCheckpointStore on DynamoDB Local (or the opt-in integration endpoint).
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { checkpointStoreContract } from '../../contracts/checkpoint-store.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

checkpointStoreContract('DynamoDbCheckpointStore', async () => {
  const db = await dynamoDb();
  return { subject: new DynamoDbCheckpointStore({ client: db.client, controlTableName: await db.createTable(CONTROL_TABLE, 'control') }) };
});
