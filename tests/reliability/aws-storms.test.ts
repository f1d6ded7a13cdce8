// Reliability storms against the AWS adapters: delivery storms (with throttling) into DynamoDbProjectionStore on
// DynamoDB Local. Concurrent S3 appenders are not raced here: s3rver ignores If-None-Match and writes objects
// non-atomically, so a racing reader can see a torn object; S3EventLog's 412/409 race paths are tested with mocks.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../adapters/aws/dynamodb-projection-store.ts';
import { CONTROL_TABLE } from '../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { TransientError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { ApplyOutcome, ProjectionStore } from '../../domain/ports/projection-store.ts';
import { foldEvents } from '../../domain/projection.ts';
import { dynamoDb } from '../support/dynamodb-local.ts';
import { newFaultStats, withFaults } from '../support/faults.ts';
import { inCI, Tally } from '../support/summary.ts';
import { WORKLOAD_START_S } from './children/workload.ts';
import { stateProblems } from './invariants.ts';
import { storm as stormOf } from './storm.ts';

const test = suite('AWS adapter storms');
const tally = new Tally();
// DynamoDB Local runs one transaction per event and is slow: a few seeds of a few dozen events each.
const SEEDS = inCI() ? [7] : [7, 42];
const EVENTS_PER_SEED = inCI() ? 25 : 55;

const storm = (events: readonly DomainEvent[], seed: number): DomainEvent[][] => stormOf(events, seed, 3, 10);

const eventsOf = (seed: number, count = EVENTS_PER_SEED) =>
  generateEvents({ accounts: 4, days: 1, eventsPerDay: count, start: WORKLOAD_START_S, seed });

async function makeStore(): Promise<DynamoDbProjectionStore> {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  return new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('storm'), tableSettings: { pointInTimeRecovery: db.pitr } });
}

/** Apply `batch`, retrying while the store throws TransientError; returns the outcomes and the retries it took. */
async function applyUntilDone(store: ProjectionStore, generation: number, batch: DomainEvent[]): Promise<{ outcomes: ApplyOutcome[]; retries: number }> {
  for (let retries = 0; ; retries++) {
    try {
      return { outcomes: await store.apply(balancesProjection, generation, batch), retries };
    } catch (error) {
      if (!(error instanceof TransientError) || retries >= 20) throw error;
    }
  }
}

/** Drive a storm per seed through `store` and compare with the fold; returns the mismatches counted. */
async function runStorms(area: string, store: ProjectionStore, faulty: boolean): Promise<number> {
  let mismatches = 0;
  for (const seed of SEEDS) {
    const events = eventsOf(seed);
    const generation = await store.createGeneration(balancesProjection.name);
    let [deliveries, applied, retries] = [0, 0, 0];
    for (const batch of storm(events, seed)) {
      deliveries += batch.length;
      const done = await applyUntilDone(store, generation, batch);
      retries += done.retries;
      applied += done.outcomes.filter((o) => o.status === 'applied').length;
    }
    const expected = foldEvents(balancesProjection, events);
    const problems = stateProblems(balancesProjection.name, await store.readState(balancesProjection.name, generation), expected);
    if (applied !== expected.applied.size) problems.push(`${applied} applied outcomes for ${expected.applied.size} events`);
    mismatches += problems.length;
    tally.add(area, { events: deliveries, distinct: events.length, ...(faulty ? { retries } : {}), mismatches: problems.length });
    assert.equal(problems, [], `seed ${seed}`);
  }
  return mismatches;
}

test('a duplicate, out-of-order storm into DynamoDbProjectionStore.apply leaves balances equal to the fold', async () => {
  assert.is(await runStorms('aws storms (dynamodb apply)', await makeStore(), false), 0);
});

test('a storm with injected throttling, retried by the driver, still applies each event once', async () => {
  const stats = newFaultStats();
  const store = withFaults<ProjectionStore>(await makeStore(), { method: 'apply', transientEvery: 5 }, stats);
  assert.is(await runStorms('aws storms (dynamodb apply, throttled)', store, true), 0);
  assert.ok(stats.transient > 0, 'the fault plan injected no throttling');
  tally.add('aws storms (dynamodb apply, throttled)', { injected: stats.transient });
});

test.run();
