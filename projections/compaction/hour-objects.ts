// What an hour partition's listing says against its index entries: which originals are still to compact, which are
// leftovers of an interrupted run, which events the index has not seen yet, and which segments no entry points to.
//
// A batch object is compacted (or removed as a leftover) only when the index knows every event in it: removing it
// would lose the one it does not know. Each batch object is read once here, streamed, holding none of its events.

import { isBatchObjectKey } from '../../domain/batch-objects.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, eventId } from '../../domain/event.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import type { HourEntries } from './hour-entries.ts';

/** The hour's objects, sorted out. */
export interface HourObjects {
  /** Entries whose events are in originals that can be compacted now, in (timestamp, identity) order. */
  readonly pending: number[];
  /** Originals the index no longer points to (their events are in a segment): removable now. */
  readonly leftovers: string[];
  /** Events in originals the index does not know (or sharing a batch object with one it does not know). */
  readonly unindexed: number;
  /**
   * Segments listed with lines no entry points to: written by a run that stopped before relocating to them, or part
   * way through relocating (DynamoDB commits 100 entries a transaction), so some of their events may still be pending.
   */
  readonly interrupted: string[];
  /** Every segment key listed or pointed to, so a new segment never takes one. */
  readonly taken: Set<string>;
  /** Batch objects to compact, with how many of their events are still to relocate. */
  readonly batches: Map<string, number>;
}

/** Sort the listing of `hour` out against its entries (one listing, one read of each batch object). */
export async function hourObjects(log: EventLog, hour: HourEntries): Promise<HourObjects> {
  const present = new Uint8Array(hour.count);
  const leftovers: string[] = [];
  const interrupted: string[] = [];
  const batchKeys: string[] = [];
  const taken = new Set(hour.referencedKeys());
  let unindexed = 0;
  for await (const { key, size } of log.list(hour.hourPrefix)) {
    if (isBatchObjectKey(key)) batchKeys.push(key);
    else if (key.endsWith(SEGMENT_OBJECT_SUFFIX)) {
      taken.add(key);
      if (hour.references(key) === 0 || size > hour.referencedBytes(key)) interrupted.push(key);
    } else if (key.endsWith(EVENT_OBJECT_SUFFIX)) {
      const i = hour.indexOf(key.slice(key.lastIndexOf('/') + 1, -EVENT_OBJECT_SUFFIX.length));
      if (i === undefined) unindexed++;
      else if (hour.key(i) === key) present[i] = 1;
      else leftovers.push(key);
    }
  }

  const batches = new Map<string, number>();
  for (const key of batchKeys) {
    let missing = 0;
    for await (const { event } of log.readObject(key)) if (hour.indexOf(eventId(event)) === undefined) missing++;
    if (missing > 0) unindexed += missing;
    else if (hour.references(key) > 0) batches.set(key, hour.references(key));
    else leftovers.push(key);
  }

  const pending: number[] = [];
  for (let i = 0; i < hour.count; i++) if (present[i] === 1 || (!hour.isOneEvent(i) && batches.has(hour.key(i)))) pending.push(i);
  return { pending, leftovers, unindexed, interrupted, taken, batches };
}
