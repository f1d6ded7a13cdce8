// fast-check arbitraries shared by the folding-rule property tests.

import fc from 'fast-check';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';

/** A random valid event set: fast-check picks the generator's seed and size. */
export const eventSets: fc.Arbitrary<DomainEvent[]> = fc
  .record({ seed: fc.integer(), accounts: fc.integer({ min: 2, max: 6 }), count: fc.integer({ min: 1, max: 40 }) })
  .map(({ seed, accounts, count }) => generateEvents({ accounts, days: 1, eventsPerDay: count, start: 1_700_000_000, seed }));

/** The same events shuffled, each delivered 1-3 times. */
export function deliveries(events: DomainEvent[]): fc.Arbitrary<DomainEvent[]> {
  return fc.array(fc.integer({ min: 1, max: 3 }), { minLength: events.length, maxLength: events.length }).chain((copies) => {
    const all = events.flatMap((e, i) => Array.from({ length: copies[i]! }, () => e));
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });
}

/** An event set with one of its delivery storms. */
export const eventsWithDeliveries: fc.Arbitrary<[DomainEvent[], DomainEvent[]]> = eventSets.chain((events) => fc.tuple(fc.constant(events), deliveries(events)));
