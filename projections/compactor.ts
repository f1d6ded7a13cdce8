// Compaction of one hour partition: its one-event objects and batch objects become NDJSON segments of bounded size,
// without losing or doubling an event. ("Originals" below are both kinds: the objects appends write.)
//
// The hour's pending events are cut, in (EventTimeStamp, identity) order, into chunks within SegmentLimits; each chunk
// goes through the whole timeline below before the next one is read, so a run holds one chunk of events at a time
// (plus the hour's index entries, see HourEntries). Timeline of one chunk, and what a crash at each point leaves:
//   1. write its segment (write-once)   crash → an unreferenced segment; the index still points at the originals.
//                                        The next run reads that segment, checks its lines byte for byte against
//                                        the originals and reuses it instead of writing another (several such
//                                        segments are each reused, see interrupted-segments.ts).
//   2. index.relocate                   crash → the index points at the segment; the chunk's originals are leftovers.
//                                        Cut part way (DynamoDB commits 100 entries a transaction), some entries still
//                                        point at originals: the segment's size exceeds the lines entries point at, so
//                                        the next run reuses its other lines as in 1 instead of storing them twice.
//   3. log.remove(originals)            crash → some leftovers remain; the next run sees that the index points
//                                        elsewhere and removes them.
// A batch object can hold events of several chunks: it is removed with the chunk that relocates its last pending
// event, and until then the index still points at it for the rest (a crash between chunks leaves it referenced).
// The index maps each identity to exactly one location, so at every point each event is readable exactly once.
//
// Late events (originals that arrive after the hour was compacted, perhaps even archived) are compacted by a later run
// into NEW segments — `segment-2.ndjson`, `segment-3.ndjson`, … — since segments are write-once and the first one may
// already sit in Glacier. Events the index has not seen yet are left alone until it has, and so is a batch object
// holding any such event (removing it would lose that event).

import { isBatchObjectKey } from '../domain/batch-objects.ts';
import { ArchivedEventError } from '../domain/errors.ts';
import { SEGMENT_OBJECT_SUFFIX, serializeEvent } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../domain/ports/event-log.ts';
import { readChunk } from './compaction/chunk-reads.ts';
import { HourEntries } from './compaction/hour-entries.ts';
import { hourObjects, type HourObjects } from './compaction/hour-objects.ts';
import { SegmentKeys } from './compaction/hour-prefix.ts';
import { reusableLines, type SegmentLine } from './compaction/interrupted-segments.ts';
import { chunksOf, segmentLimits, type SegmentLimits } from './compaction/segment-limits.ts';
import type { HeldLease } from './lease.ts';

export { READS_IN_FLIGHT } from './compaction/chunk-reads.ts';
export { hourOfPrefix, nthSegmentKey } from './compaction/hour-prefix.ts';
export { SEGMENT_LIMITS, segmentLimits, type SegmentLimits } from './compaction/segment-limits.ts';

/** Test seams: called between the steps of each chunk (throw from one to simulate a crash there). */
export interface CompactionHooks {
  /** After a chunk's segment is written, before the index points at it. */
  afterSegment?(segment: string): void | Promise<void>;
  /** After the index points at a segment (written or reused), before the originals are removed. */
  afterRelocate?(segment: string): void | Promise<void>;
}

/** How one hour is compacted: the size of its segments (defaults SEGMENT_LIMITS), its lease, and the test seams. */
export interface CompactionOptions extends Partial<SegmentLimits>, CompactionHooks {
  /**
   * The caller's archive lease, renewed before each chunk and each leftover segment read, and on its timer through the
   * hour's index load and listing (a very busy hour on S3 lists 2,000 pages: minutes, longer than a lease), so a busy
   * hour keeps it. A throw (the lease was lost) stops the hour before it writes, as a crash there would.
   */
  readonly lease?: Pick<HeldLease, 'renewIfDue' | 'during'>;
}

/** What one run did. */
export interface CompactionReport {
  readonly hourPrefix: string;
  /** Events moved into a segment by this run. */
  readonly compacted: number;
  /** The first segment written by this run, if any (an hour's first chunk, or its first late events). */
  readonly written?: string;
  /** Every segment written by this run, in the order of their events (several when the hour passed SegmentLimits). */
  readonly segmentsWritten: readonly string[];
  /** Originals removed (compacted now, or leftovers of an interrupted run). */
  readonly removed: number;
  /** Events left in their originals because the index does not know them (or an event sharing their batch object) yet. */
  readonly unindexed: number;
  /** Every segment of the hour the index points to, after the run. */
  readonly segments: readonly string[];
}

/**
 * Compact the originals of one hour into segments of at most `maxSegmentEvents` events and `maxSegmentBytes` bytes,
 * crash-safely (see the timeline above). Rerunning after a crash at any step completes the work; rerunning after
 * success changes nothing. Memory: one chunk of events (see SEGMENT_LIMITS), plus the hour's index entries at about
 * 120 bytes each, identity string included (measured on Node 20: ~60 MB for an hour of 500k events, ~240 MB for 2M).
 *
 * @example
 * const report = await compactHour({ log, index }, 'events/year=2024/month=03/day=07/hour=09/', { maxSegmentEvents: 5_000 });
 */
export async function compactHour(deps: { log: EventLog; index: EventIndex }, hourPrefix: string, options: CompactionOptions = {}): Promise<CompactionReport> {
  const limits = segmentLimits(options);
  const read = async () => {
    const hour = await HourEntries.load(deps.index, hourPrefix);
    return { hour, objects: await hourObjects(deps.log, hour) };
  };
  const { hour, objects } = options.lease ? await options.lease.during(read) : await read();
  return new HourRun(deps, hour, objects, options).run(limits);
}

const PENDING = 1;
const MOVED = 2;

/** One run over one hour: the interrupted segments first, then the remaining pending events chunk by chunk. */
class HourRun {
  /** Per entry: PENDING while its event waits in an original, MOVED once the index points at a segment line. */
  private readonly state: Uint8Array;
  private compacted = 0;
  private readonly batchesLeft: Map<string, number>;
  private readonly segments: Set<string>;
  private readonly written: string[] = [];
  private removed = 0;

  constructor(
    private readonly deps: { log: EventLog; index: EventIndex },
    private readonly hour: HourEntries,
    private readonly objects: HourObjects,
    private readonly options: CompactionOptions,
  ) {
    this.state = new Uint8Array(hour.count);
    for (const i of objects.pending) this.state[i] = PENDING;
    this.batchesLeft = new Map(objects.batches);
    this.segments = new Set(hour.referencedKeys().filter((k) => k.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(k)));
  }

  async run(limits: SegmentLimits): Promise<CompactionReport> {
    const { log } = this.deps;
    const { pending, leftovers, interrupted, taken, unindexed } = this.objects;
    if (leftovers.length > 0) await this.remove(leftovers);
    for (const key of interrupted) {
      if (this.compacted === pending.length) break; // no pending event left for a line to hold: read no more segments
      await this.options.lease?.renewIfDue();
      const lines = await this.reusable(key, limits);
      if (lines.length > 0) await this.relocate(key, lines.map((l) => l.entry), lines.map((l) => l.location));
    }
    const keys = new SegmentKeys(this.hour.hourPrefix, taken);
    for (const chunk of chunksOf(pending.filter((i) => this.state[i] === PENDING), limits, (i) => this.hour.size(i))) {
      await this.options.lease?.renewIfDue();
      const events = await readChunk(log, this.hour, chunk);
      const key = keys.next();
      const { locations } = await log.writeSegment(key, events.map(serializeEvent));
      this.written.push(key);
      await this.options.afterSegment?.(key);
      await this.relocate(key, chunk, locations);
    }
    return {
      hourPrefix: this.hour.hourPrefix, compacted: this.compacted, ...(this.written[0] ? { written: this.written[0] } : {}),
      segmentsWritten: this.written, removed: this.removed, unindexed,
      segments: [...this.segments].sort(),
    };
  }

  /**
   * The pending lines of a segment a run left (see interrupted-segments.ts). One that entries point at already and
   * that now sits in an archive class is passed over, not restored: its pending events go into a new segment.
   */
  private async reusable(key: string, limits: SegmentLimits): Promise<SegmentLine[]> {
    try {
      return await reusableLines(this.deps.log, this.hour, key, (i) => this.state[i] === PENDING, limits);
    } catch (error) {
      if (error instanceof ArchivedEventError && this.hour.references(key) > 0) return [];
      throw error;
    }
  }

  /** Point `entries` at their lines in `segment`, then remove the originals no pending event needs any more. */
  private async relocate(segment: string, entries: readonly number[], locations: readonly EventLocation[]): Promise<void> {
    await this.deps.index.relocate(entries.map((i, at) => ({ id: this.hour.id(i), location: locations[at]! })));
    this.segments.add(segment);
    for (const i of entries) this.state[i] = MOVED;
    this.compacted += entries.length;
    await this.options.afterRelocate?.(segment);
    const done: string[] = [];
    for (const i of entries) {
      const key = this.hour.key(i);
      const left = this.batchesLeft.get(key);
      if (left === undefined) done.push(key);
      else if (left === 1) {
        this.batchesLeft.delete(key);
        done.push(key);
      } else this.batchesLeft.set(key, left - 1);
    }
    if (done.length > 0) await this.remove(done);
  }

  private async remove(keys: readonly string[]): Promise<void> {
    await this.deps.log.remove(keys);
    this.removed += keys.length;
  }
}
