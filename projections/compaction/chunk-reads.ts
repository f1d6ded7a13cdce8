// Reading one chunk of an hour's pending events from their originals, and nothing beyond that chunk.
//
// One-event objects are read READS_IN_FLIGHT at a time: on S3 a GET takes ~20 ms, so an hour of 36,000 events read
// one by one took longer than a scheduled run has, and its compaction could never finish. A batch object (local logs:
// one append's events of the hour, possibly all of a large `emit`) is read whole, streamed, keeping only the chunk's
// events, when the chunk needs at least half of its events; otherwise the chunk's lines are read at their indexed
// byte ranges. So a batch object spanning many chunks is read whole at most twice, not once per chunk.

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
  const byLocation: number[] = [];
  const inBatches = new Map<string, Map<string, number>>();
  chunk.forEach((i, at) => {
    if (hour.isOneEvent(i)) return void byLocation.push(at);
    const key = hour.key(i);
    const wanted = inBatches.get(key) ?? new Map<string, number>();
    inBatches.set(key, wanted.set(hour.id(i), at));
  });
  for (const [key, wanted] of inBatches) {
    if (wanted.size * 2 < hour.references(key)) continue;
    for await (const { event } of log.readObject(key)) {
      const at = wanted.get(eventId(event));
      if (at !== undefined) events[at] = event;
    }
  }
  // The rest of the batch objects' lines, and any a batch object read whole did not hold, are read at their indexed
  // locations (and fail there if absent).
  chunk.forEach((i, at) => { if (events[at] === undefined && !hour.isOneEvent(i)) byLocation.push(at); });
  await mapLimit(byLocation, READS_IN_FLIGHT, async (at) => { events[at] = await log.read(hour.location(chunk[at]!)); });
  return events;
}
