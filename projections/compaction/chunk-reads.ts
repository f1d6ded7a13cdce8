// Reading one chunk of an hour's pending events from their originals, and nothing beyond that chunk.
//
// One-event objects are read READS_IN_FLIGHT at a time: on S3 a GET takes ~20 ms, so an hour of 36,000 events read
// one by one took longer than a scheduled run has, and its compaction could never finish. A batch object is read
// whole once per chunk that needs any of its events (streamed: only the chunk's events are kept), which re-reads a
// batch object spanning several chunks rather than holding it between them.

import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import type { EventLog } from '../../domain/ports/event-log.ts';
import { mapLimit } from '../map-limit.ts';
import type { HourEntries } from './hour-entries.ts';

/** Reads of one-event objects in flight at once during a compaction. */
export const READS_IN_FLIGHT = 32;

/** The events of entries `chunk` of `hour`, in the same order. */
export async function readChunk(log: EventLog, hour: HourEntries, chunk: readonly number[]): Promise<DomainEvent[]> {
  const events = new Array<DomainEvent>(chunk.length);
  const single: number[] = [];
  const inBatches = new Map<string, Map<string, number>>();
  chunk.forEach((i, at) => {
    if (hour.isOneEvent(i)) return void single.push(at);
    const key = hour.key(i);
    const wanted = inBatches.get(key) ?? new Map<string, number>();
    inBatches.set(key, wanted.set(hour.id(i), at));
  });
  for (const [key, wanted] of inBatches) {
    for await (const { event } of log.readObject(key)) {
      const at = wanted.get(eventId(event));
      if (at !== undefined) events[at] = event;
    }
  }
  // A line the batch object did not hold where expected is read at its indexed location (and fails there if absent).
  chunk.forEach((i, at) => { if (events[at] === undefined && !hour.isOneEvent(i)) single.push(at); });
  await mapLimit(single, READS_IN_FLIGHT, async (at) => { events[at] = await log.read(hour.location(chunk[at]!)); });
  return events;
}
