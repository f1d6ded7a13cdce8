// A poison event: an extra projection whose handler always throws for one event. It is dead-lettered with its
// error after the configured attempts, every other event is still applied, and a redrive after the fix applies it
// exactly once.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { foldEvents, type Projection } from '../../domain/projection.ts';
import { Tally } from '../support/summary.ts';
import { batchesOf, workloadEvents } from './children/workload.ts';
import { exactlyOnceProblems, stateProblems } from './invariants.ts';
import { scratchDir } from './scratch-dir.ts';

const test = suite('a poison event');
const tally = new Tally();
const ATTEMPTS = 3;

/** Counts events per type; throws for `poison` while `broken` is set (the bug), with a recognisable message. */
function probe(poison: string, state: { broken: boolean; calls: number }): Projection {
  return {
    name: 'probe', version: 1, handles: () => true, related: () => [],
    decide: (event: DomainEvent) => {
      if (eventId(event) === poison) {
        state.calls++;
        if (state.broken) throw new RangeError(`probe cannot handle ${poison}`);
      }
      return { counters: [{ key: event.EventType, delta: 1n }] };
    },
  };
}

test('is dead-lettered with its error after N attempts, the others applied; redrive after the fix applies it once', async () => {
  const events = workloadEvents();
  const poison = eventId(events[17]!);
  const state = { broken: true, calls: 0 };
  const projection = probe(poison, state);
  const local = await openLocalEventlake({ dataDir: scratchDir(), projections: [projection], dispatch: { maxAttempts: ATTEMPTS, baseDelayMs: 1, maxDelayMs: 2 } });
  try {
    for (const batch of batchesOf(events, 10)) await local.lake.emit(batch);
    const letters = await local.deadLetters.list();
    assert.is(letters.length, 1, 'one dead letter');
    assert.is(letters[0]!.id, poison);
    assert.is(letters[0]!.target, 'probe');
    assert.is(letters[0]!.attempts, ATTEMPTS);
    assert.match(letters[0]!.error, `probe cannot handle ${poison}`);
    assert.is(state.calls, ATTEMPTS + 1, 'the batch, then N single attempts');
    const healthy = events.filter((e) => eventId(e) !== poison);
    const live = await local.store.liveGeneration('probe');
    assert.equal(stateProblems('probe', await local.store.readState('probe', live), foldEvents(projection, healthy)), []);
    assert.is(await local.dispatchedPosition(), await local.index.lastPosition(), 'the poison event did not hold back the tail');

    state.broken = false; // the fix is deployed
    assert.equal(await local.redriveDeadLetters('probe'), { redriven: 1, failed: 0 });
    assert.equal(await local.redriveDeadLetters(), { redriven: 0, failed: 0 }, 'nothing left to redrive');
    await local.lake.emit(events); // a client retry re-dispatches nothing new
    const problems = await exactlyOnceProblems(local, events);
    tally.add('poison events', { tried: 1, 'dead-lettered': letters.length, redriven: 1, mismatches: problems.length });
    assert.equal(problems, []);
  } finally {
    await local.close();
  }
});

test('a redrive before the fix keeps the letter (attempts added up) and applies nothing', async () => {
  const events = workloadEvents().slice(0, 12);
  const poison = eventId(events[3]!);
  const state = { broken: true, calls: 0 };
  const local = await openLocalEventlake({ dataDir: scratchDir(), projections: [probe(poison, state)], dispatch: { maxAttempts: ATTEMPTS, baseDelayMs: 1, maxDelayMs: 2 } });
  try {
    await local.lake.emit(events);
    assert.equal(await local.redriveDeadLetters('probe'), { redriven: 0, failed: 1 });
    const [letter] = await local.deadLetters.list('probe');
    assert.is(letter?.attempts, 2 * ATTEMPTS);
    assert.is(await local.store.appliedRecord('probe', await local.store.liveGeneration('probe'), poison), undefined);
  } finally {
    await local.close();
  }
});

test.run();
