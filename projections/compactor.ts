// Compaction of one hour partition: its one-event objects and batch objects become one NDJSON segment, without losing
// or doubling an event. ("Originals" below are both kinds: the objects appends write.)
//
// Timeline of a run, and what a crash at each point leaves behind:
//   1. write the segment (write-once)   crash → an unreferenced segment; the index still points at the one-event
//                                        objects. The next run reads that segment, checks its lines byte for byte
//                                        and reuses it instead of writing another.
//   2. index.relocate (one transaction) crash → the index points at the segment; the one-event objects are leftovers.
//   3. log.remove(originals)            crash → some leftovers remain; the next run sees that the index points
//                                        elsewhere and removes them.
// The index maps each identity to exactly one location, so at every point each event is readable exactly once.
//
// Late events (originals that arrive after the hour was compacted, perhaps even archived) are compacted by a later run
// into a NEW segment — `segment-2.ndjson`, `segment-3.ndjson`, … — since segments are write-once and the first one may
// already sit in Glacier. Events the index has not seen yet are left alone until it has, and so is a batch object
// holding any such event (removing it would lose that event).

import { EventConflictError, InvalidArgumentError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import { EVENT_OBJECT_SUFFIX, SEGMENT_OBJECT_SUFFIX, compareEvents, eventId, segmentKey, serializeEvent } from '../domain/event.ts';
import type { EventIndex, IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../domain/ports/event-log.ts';
import { isBatchObjectKey } from '../domain/batch-objects.ts';
import { mapLimit } from './map-limit.ts';

/** Test seams: called between the steps of a run (throw from one to simulate a crash there). */
export interface CompactionHooks {
  afterSegment?(): void | Promise<void>;
  afterRelocate?(): void | Promise<void>;
}

/** What one run did. */
export interface CompactionReport {
  readonly hourPrefix: string;
  /** Events moved into a segment by this run. */
  readonly compacted: number;
  /** Segment written by this run, if any. */
  readonly written?: string;
  /** Originals removed (compacted now, or leftovers of an interrupted run). */
  readonly removed: number;
  /** Events left in their originals because the index does not know them (or an event sharing their batch object) yet. */
  readonly unindexed: number;
  /** Every segment of the hour the index points to, after the run. */
  readonly segments: readonly string[];
}

/** Reads of one-event objects in flight at once during a compaction. */
export const READS_IN_FLIGHT = 32;

const HOUR_PREFIX = /^events\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\/$/;

/** Epoch seconds of the start of an hour partition, e.g. `events/year=2024/month=03/day=07/hour=09/`. */
export function hourOfPrefix(hourPrefix: string): number {
  const m = HOUR_PREFIX.exec(hourPrefix);
  if (!m) throw new InvalidArgumentError('hourPrefix', `"${hourPrefix}" is not an hour partition (events/year=YYYY/month=MM/day=DD/hour=HH/)`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) / 1000;
}

/** Key of the n-th segment of an hour: `segment.ndjson`, then `segment-2.ndjson`, … */
export function nthSegmentKey(hourPrefix: string, n: number): string {
  return n === 1 ? segmentKey(hourPrefix) : `${hourPrefix}segment-${n}${SEGMENT_OBJECT_SUFFIX}`;
}

/**
 * Compact the one-event objects of one hour into a segment, crash-safely (see the timeline above).
 * Rerunning after a crash at any step completes the work; rerunning after success changes nothing.
 *
 * @example
 * const report = await compactHour({ log, index }, 'events/year=2024/month=03/day=07/hour=09/');
 */
export async function compactHour(deps: { log: EventLog; index: EventIndex }, hourPrefix: string, hooks: CompactionHooks = {}): Promise<CompactionReport> {
  const { log, index } = deps;
  const from = hourOfPrefix(hourPrefix);
  const entries: IndexEntry[] = [];
  for await (const e of index.between({ from, to: from + 3600 })) entries.push(e);
  const listed: string[] = [];
  for await (const o of log.list(hourPrefix)) listed.push(o.key);

  const referenced = new Set(entries.map((e) => e.location.key));
  const indexedIds = new Set(entries.map((e) => e.id));
  const listedSet = new Set(listed);
  const eventObjects = listed.filter((k) => k.endsWith(EVENT_OBJECT_SUFFIX));
  const leftovers = eventObjects.filter((k) => !referenced.has(k) && indexedIds.has(idOfKey(k)));
  let unindexed = eventObjects.filter((k) => !referenced.has(k) && !indexedIds.has(idOfKey(k))).length;

  // A batch object is compacted (or removed as a leftover) only when the index knows every event in it.
  const batchEvents = new Map<string, Map<string, DomainEvent>>();
  for (const key of listed.filter(isBatchObjectKey)) {
    const held = new Map<string, DomainEvent>();
    for await (const { event } of log.readObject(key)) held.set(eventId(event), event);
    const missing = [...held.keys()].filter((id) => !indexedIds.has(id)).length;
    if (missing > 0) unindexed += missing;
    else if (referenced.has(key)) batchEvents.set(key, held);
    else leftovers.push(key);
  }
  const pending = entries.filter((e) => (e.location.key.endsWith(EVENT_OBJECT_SUFFIX) && listedSet.has(e.location.key)) || batchEvents.has(e.location.key));

  // One-event objects are read READS_IN_FLIGHT at a time: on S3 a GET takes ~20 ms, so an hour of 36,000 events read
  // one by one took longer than a scheduled run has, and its compaction could never finish.
  const events = new Map<string, DomainEvent>();
  await mapLimit(pending, READS_IN_FLIGHT, async (e) => {
    events.set(e.id, batchEvents.get(e.location.key)?.get(e.id) ?? (await log.read(e.location)));
  });
  const interrupted = listed.filter((k) => k.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(k) && !referenced.has(k));
  const moves = await reuseInterruptedSegments(log, interrupted, events);

  let written: string | undefined;
  const rest = pending.filter((e) => !moves.has(e.id)).sort(compareEvents);
  if (rest.length > 0) {
    written = nextSegmentKey(hourPrefix, new Set([...listed, ...referenced]));
    const { locations } = await log.writeSegment(written, rest.map((e) => serializeEvent(events.get(e.id)!)));
    rest.forEach((e, i) => moves.set(e.id, locations[i]!));
  }
  await hooks.afterSegment?.();

  if (moves.size > 0) await index.relocate([...moves].map(([id, location]) => ({ id, location })));
  await hooks.afterRelocate?.();

  const originals = [...new Set(pending.map((e) => e.location.key)), ...leftovers];
  if (originals.length > 0) await log.remove(originals);

  const segments = new Set([...referenced, ...[...moves.values()].map((l) => l.key)].filter((k) => k.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(k)));
  return { hourPrefix, compacted: moves.size, ...(written ? { written } : {}), removed: originals.length, unindexed, segments: [...segments].sort() };
}

/**
 * A listed segment no index entry points to was written by a run that crashed before relocating. Each of its lines
 * whose event is still pending is reused, after checking it holds exactly the pending event's bytes.
 */
async function reuseInterruptedSegments(log: EventLog, segments: readonly string[], pending: ReadonlyMap<string, DomainEvent>): Promise<Map<string, EventLocation>> {
  const moves = new Map<string, EventLocation>();
  for (const key of segments) {
    for await (const { event, location } of log.readObject(key)) {
      const id = eventId(event);
      const original = pending.get(id);
      if (!original || moves.has(id)) continue;
      if (serializeEvent(original) !== serializeEvent(event)) throw new EventConflictError(id, key);
      moves.set(id, location);
    }
  }
  return moves;
}

function nextSegmentKey(hourPrefix: string, taken: ReadonlySet<string>): string {
  let n = 1;
  while (taken.has(nthSegmentKey(hourPrefix, n))) n++;
  return nthSegmentKey(hourPrefix, n);
}

function idOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1, -EVENT_OBJECT_SUFFIX.length);
}
