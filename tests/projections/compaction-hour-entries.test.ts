// HourEntries finds an identity by binary search in an id-sorted permutation: for any identities (case, non-ASCII,
// astral characters, shared prefixes) given in any order, each is found at its own entry and no other string is.
// A miss here would make compaction call an indexed event unindexed (left alone) or take another event's entry.
//
// Seeded (EVENTLAKE_FUZZ_SEED overrides; EVENTLAKE_FUZZ_RUNS runs it harder).
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix } from '../../domain/event.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import { HourEntries } from '../../projections/compaction/hour-entries.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const PARAMS = { numRuns: Number(process.env['EVENTLAKE_FUZZ_RUNS'] ?? 200), seed: Number(process.env['EVENTLAKE_FUZZ_SEED'] ?? 20261126) };

/** An index yielding `entries` as given (the hour's own one-event objects, one per id). */
function indexOf(entries: readonly { id: string; timestamp: number }[]): EventIndex {
  return {
    async *between() {
      for (const { id, timestamp } of entries) {
        yield { id, timestamp, type: 't', accounts: [], size: 10, storageClass: 'STANDARD', restore: 'NONE', position: 1, location: { key: `${PREFIX}${id}.event` } } as IndexEntry;
      }
    },
  } as unknown as EventIndex;
}

/** Identities sharing prefixes and differing in case, accents and astral characters. */
const ids = fc.uniqueArray(
  fc.tuple(fc.constantFrom('', 'a', 'A', 'cash_deposit_', 'é', '\u{1F600}', 'ｚ'), fc.string({ unit: fc.constantFrom('a', 'A', 'é', 'e\u0301', '\u{1F600}', '\uFFFF', '-', '0', 'z') }))
    .map(([prefix, rest]) => prefix + rest).filter((id) => id.length > 0),
  { maxLength: 60 },
);

const test = suite('HourEntries identities');

test('every identity is found at its own entry and a string the hour does not hold is not found, whatever the order given', async () => {
  await fc.assert(fc.asyncProperty(ids, fc.array(fc.integer({ min: 0, max: 3599 }), { minLength: 60, maxLength: 60 }), fc.string(), async (given, times, other) => {
    const hour = await HourEntries.load(indexOf(given.map((id, i) => ({ id, timestamp: HOUR + times[i]! }))), PREFIX);
    assert.is(hour.count, given.length);
    for (const id of given) assert.is(hour.id(hour.indexOf(id)!), id);
    if (!given.includes(other)) assert.is(hour.indexOf(other), undefined);
    assert.is(hour.indexOf(`${given[0] ?? ''}\u0000`), undefined);
  }), PARAMS);
});

test.run();
