// Rolling back to the first generation on the AWS projection store (DynamoDB Local): generation 1 is the stack's table,
// filled by the projector (dispatch), never by a rebuild. A promoted rebuild retires it; promoting it back tops it up
// with what was dispatched to the rebuild meanwhile. The log, index and archive are in memory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbCheckpointStore } from '../../../adapters/aws/dynamodb-checkpoint-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { dropOtherGeneration } from '../../../projections/rebuild/generations.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { START_S } from '../../support/fakes/scenario.ts';

const test = suite('rollback to the first generation (DynamoDB projection store)');

/** A lake whose events were dispatched into DynamoDB generation 1, then a rebuild promoted over it, then more dispatched. */
async function retiredFirst() {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('rollback'), tableSettings: { pointInTimeRecovery: db.pitr } });
  // The memory lake's ingest and dispatch, with DynamoDB as the store dispatch applies to.
  const lake = Object.assign(Object.create(new MemoryLake()) as MemoryLake, { store, checkpoints: new DynamoDbCheckpointStore({ client: db.client, controlTableName }) });
  const events = generateEvents({ accounts: 4, days: 2, eventsPerDay: 10, start: START_S, seed: 5 });
  const [before, after] = [events.slice(0, 14), events.slice(14)];
  await lake.ingest(before);
  await lake.dispatch();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  await coordinator.promote('balances', built.generation, [await coordinator.verify('balances', built.generation, 'log')]);
  await lake.ingest(after);
  await lake.dispatch();
  return { lake, coordinator, rebuilt: built.generation, missed: after.length };
}

test('the first generation, retired by a promoted rebuild, is promoted back and topped up with the events dispatched to the rebuild', async () => {
  const { lake, coordinator, rebuilt } = await retiredFirst();
  const check = await coordinator.verify('balances', 1, 'log');
  assert.ok(check.passed, JSON.stringify(check.differences));
  const promoted = await coordinator.promote('balances', 1, [check]);
  assert.equal([promoted.previous, await lake.store.liveGeneration('balances')], [rebuilt, 1]);
  assert.ok(promoted.toppedUp > 0);
  assert.equal((await lake.store.readState('balances', 1)).counters, (await lake.store.readState('balances', rebuilt)).counters);
});

test('a dropped first generation is not promoted: it does not exist, and the error names those that do', async () => {
  const { lake, coordinator, rebuilt } = await retiredFirst();
  await dropOtherGeneration(lake, 'balances', 1);
  const error = await rejects(() => coordinator.promotable('balances', 1), InvalidArgumentError);
  assert.match(error.message, `balances has no generation 1; it has ${rebuilt} (live)`);
});

test.run();
