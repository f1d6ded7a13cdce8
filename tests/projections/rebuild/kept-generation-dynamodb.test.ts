// The kept-generation rule through the coordinator on the AWS stores (DynamoDB Local): a generation is a DynamoDB
// table, so a kept one dropped behind the operator's back would be a deleted table. The log, index and archive are
// in-memory, as in lambda-rebuild-lease.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { dropOtherGeneration, otherGenerations } from '../../../projections/rebuild/generations.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('kept generations (DynamoDB projection store)');

async function setup() {
  const { lake, endOfDay } = await buildScenario({ days: 2, eventsPerDay: 10 });
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('kept'), tableSettings: { pointInTimeRecovery: db.pitr } });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { store, checkpoints: new DynamoDbCheckpointStore({ client: db.client, controlTableName }) });
  const tableExists = async (generation: number) => {
    try {
      await db.client.send(new DescribeTableCommand({ TableName: store.tableFor('balances', generation) }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  };
  return { deps, coordinator: new RebuildCoordinator(deps, lake.projections), endOfDay, tableExists };
}

test('a rebuild never drops a finished generation kept unpromoted: its table stays, and it still verifies', async () => {
  const { coordinator, endOfDay, tableExists } = await setup();
  const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0, until: endOfDay(0) }));
  const next = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  assert.is.not(next.generation, kept.generation);
  assert.ok(await tableExists(kept.generation));
  assert.ok((await coordinator.verify('balances', kept.generation, 'log')).passed);
});

test('dropping a kept generation deletes its table, and it is no longer listed', async () => {
  const { deps, coordinator, tableExists } = await setup();
  const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  assert.equal((await otherGenerations(deps, 'balances'))?.map((g) => [g.generation, g.state]), [[kept.generation, 'finished']]);
  await dropOtherGeneration(deps, 'balances', kept.generation);
  assert.not.ok(await tableExists(kept.generation));
  assert.equal(await otherGenerations(deps, 'balances'), []);
});

test.run();
