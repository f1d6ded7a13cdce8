// Index reads beyond the EventIndex port that some indexes offer: the first entries of a range in one read, and the
// index reads of one emit, done up front in one batch (every identity its duplicate checks will ask about).
//
// Why the batch: an emit asks the index about each event (a repeat after compaction, another hour, a legacy RequestId
// case). One GetItem pair per event in turn is ~2 round trips per event on DynamoDB; an index that can read many ids
// in one call (BatchGetItem) answers a whole emit in one or two round trips. Locally the lookups stay one by one.

import type { EventIndex, IndexEntry, IndexRangeQuery } from '../domain/ports/event-index.ts';

/**
 * An index that reads the head of a range in one read sized to it (beyond the EventIndex port; SqliteEventIndex has
 * it). Why: `between` reads in pages of the index's choosing (1,000 rows locally), so a reader taking 5 entries had
 * 1,000 read for it.
 *
 * @example
 * const page = await index.firstEntries({ from, to, types: ['cash_deposit'] }, limit + 1); // one past: is there more?
 */
export interface RangeHead {
  /** The first `count` entries `between(query)` yields (fewer when the range holds fewer), in its order. */
  firstEntries(query: IndexRangeQuery, count: number): Promise<IndexEntry[]>;
}

/** An index that also reads many entries in one call (beyond the EventIndex port; DynamoDbEventIndex has it). */
export interface ManyLookup {
  /** The entries of those `ids` that are indexed, by id (absent ids are left out). */
  getMany(ids: readonly string[]): Promise<ReadonlyMap<string, IndexEntry>>;
}

/** What the facade's duplicate checks need of an index. */
export type EmitIndex = Pick<EventIndex, 'get'> & Partial<ManyLookup>;

/**
 * Read every entry of `ids` now (one `getMany` when the index has it, else one `get` per distinct id), and answer
 * later `get`s of those ids from what was read. Asking for an id not read here is a programming error, not a miss.
 */
export async function lookUpAll(index: EmitIndex, ids: readonly string[]): Promise<Pick<EventIndex, 'get'>> {
  const distinct = [...new Set(ids)];
  let found: ReadonlyMap<string, IndexEntry>;
  if (index.getMany) {
    found = distinct.length > 0 ? await index.getMany(distinct) : new Map();
  } else {
    const entries = new Map<string, IndexEntry>();
    for (const id of distinct) {
      const entry = await index.get(id);
      if (entry) entries.set(id, entry);
    }
    found = entries;
  }
  const asked = new Set(distinct);
  return {
    get: async (id) => {
      if (!asked.has(id)) throw new Error(`index lookup of ${id} was not read up front (lookUpAll)`);
      return found.get(id);
    },
  };
}
