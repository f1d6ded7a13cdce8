// Duplicate and out-of-order delivery storms: every event delivered 1-5 times, shuffled, in random batches, into
// the projection store, through the dispatcher and through emit. The balances and rows always equal the direct fold.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { Dispatcher } from '../../domain/ports/dispatcher.ts';
import { foldEvents } from '../../domain/projection.ts';
import { statementProjection } from '../../projections/statement.ts';
import { inCI, Tally } from '../support/summary.ts';
import { WORKLOAD_START_S } from './children/workload.ts';
import { exactlyOnceProblems, stateProblems } from './invariants.ts';
import { scratchDir } from './scratch-dir.ts';
import { storm as stormOf } from './storm.ts';

const test = suite('delivery storms');
const tally = new Tally();
const RUNS = inCI() ? 25 : 200;

const storm = (events: readonly DomainEvent[], seed: number): DomainEvent[][] => stormOf(events, seed, 5, 20);

const eventsOf = (seed: number, start = WORKLOAD_START_S) => generateEvents({ accounts: 5, days: 1, eventsPerDay: 40, start, seed });

test('a storm into store.apply applies each event once: balances and rows equal the fold, whatever the order', async () => {
  const store = new SqliteProjectionStore(`${scratchDir()}/projections.db`);
  let mismatches = 0;
  try {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      const events = eventsOf(seed);
      for (const p of [balancesProjection, statementProjection]) {
        const generation = await store.createGeneration(p.name);
        let applied = 0;
        let deliveries = 0;
        for (const batch of storm(events, seed ^ p.name.length)) {
          deliveries += batch.length;
          applied += (await store.apply(p, generation, batch)).filter((o) => o.status === 'applied').length;
        }
        const expected = foldEvents(p, events);
        const problems = stateProblems(p.name, await store.readState(p.name, generation), expected);
        if (applied !== expected.applied.size) problems.push(`${applied} applied outcomes for ${expected.applied.size} events`);
        mismatches += problems.length;
        tally.add('storms (store.apply)', { events: deliveries, mismatches: problems.length });
        assert.equal(problems, [], `seed ${seed}`);
        await store.dropGeneration(p.name, generation);
      }
    }), { numRuns: RUNS });
  } finally {
    store.close?.();
  }
  assert.is(mismatches, 0);
});

test('a storm of redeliveries through the dispatcher (at-least-once, any order) leaves the projections equal to the fold', async () => {
  let dispatcher: Dispatcher | undefined;
  const local = await openLocalEventlake({
    dataDir: scratchDir(),
    decorate: (name, port) => {
      if (name === 'dispatcher') dispatcher = port as unknown as Dispatcher;
      return port;
    },
  });
  try {
    const events = eventsOf(99);
    await local.lake.emit(events);
    let deliveries = 0;
    for (let round = 0; round < (inCI() ? 10 : 60); round++) {
      for (const batch of storm(events, round)) {
        deliveries += batch.length;
        const outcomes = await dispatcher!.publish(batch.map(local.upcast));
        assert.ok(outcomes.every((o) => o.status === 'published'));
      }
    }
    const problems = await exactlyOnceProblems(local, events);
    tally.add('storms (dispatcher.publish)', { events: deliveries, mismatches: problems.length });
    assert.equal(problems, []);
  } finally {
    await local.close();
  }
});

test('storms of duplicate emits (retries, replays of whole inputs, any order) store, index and apply each event once', async () => {
  const local = await openLocalEventlake({ dataDir: scratchDir() });
  const all: DomainEvent[] = [];
  try {
    let emitted = 0;
    for (let round = 0; round < (inCI() ? 4 : 25); round++) {
      const events = eventsOf(1000 + round, WORKLOAD_START_S + round * 86_400);
      all.push(...events);
      for (const batch of storm(events, round)) {
        emitted += batch.length;
        const results = await local.lake.emit(batch);
        assert.is(results.length, batch.length);
      }
    }
    const problems = await exactlyOnceProblems(local, all);
    tally.add('storms (emit)', { events: emitted, distinct: all.length, mismatches: problems.length });
    assert.equal(problems, []);
  } finally {
    await local.close();
  }
});

test.run();
