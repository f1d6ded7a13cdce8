// The rules a generation was built with, through the coordinator on the AWS stores (DynamoDB Local): the checkpoint
// holding them is a DynamoDB item, and an older one without them must still read. The log, index and archive are
// in-memory, as in kept-generation-dynamodb.test.ts; the cases are in rules-changed-cases.ts.
import { suite } from 'uvu';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import { rulesChangedCases } from './rules-changed-cases.ts';

const test = suite('generations built with other rules (DynamoDB projection store)');

rulesChangedCases(test, async () => {
  const { lake } = await buildScenario({ days: 2, eventsPerDay: 10 });
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('rules'), tableSettings: { pointInTimeRecovery: db.pitr } });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { store, checkpoints: new DynamoDbCheckpointStore({ client: db.client, controlTableName }) });
  return { deps, projections: lake.projections, close: async () => {} };
});

test.run();
