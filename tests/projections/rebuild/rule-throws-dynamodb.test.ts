// A projection rule that throws during a rebuild into the DynamoDB projection store (DynamoDB Local): the store calls
// the rule inside its own error handling, which reports anything as a storage failure (STORAGE_FAILED); a resumed
// rebuild (no reference fold: the store is the first to call the rule) stops with ProjectionRuleError instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { eventId } from '../../../domain/event.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('a rule that throws during a rebuild (DynamoDB projection store)');

test('a resumed rebuild whose rule throws in the DynamoDB store stops with ProjectionRuleError, not a storage failure', async () => {
  const { lake, events } = await buildScenario({ days: 1, eventsPerDay: 10 });
  const unlucky = eventId(events[5]!);
  const refusing: Projection = {
    ...balancesProjection,
    decide: (event, related) => {
      if (eventId(event) === unlucky) throw new Error('unlucky event refused by the rule');
      return balancesProjection.decide(event, related);
    },
  };
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('rule'), tableSettings: { pointInTimeRecovery: db.pitr } });
  const deps = Object.assign(Object.create(lake) as MemoryLake, { store, checkpoints: new DynamoDbCheckpointStore({ client: db.client, controlTableName }) });
  const coordinator = new RebuildCoordinator(deps, [refusing]);
  const rebuild = async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 2 });
  await rejects(rebuild, ProjectionRuleError);
  const resumed = await rejects(rebuild, ProjectionRuleError);
  assert.equal([resumed.projection, resumed.eventId, resumed.ruleError], ['balances', unlucky, 'Error: unlucky event refused by the rule']);
  assert.match(resumed.message, 'run the same command again, which continues generation');
});

test.run();
