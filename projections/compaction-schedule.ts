// Scheduled compaction: hour partitions compacted in time order from a checkpoint, without scanning the index.
//
// Why a walk and not `index.objects()`: on AWS that is a full Scan of the index table, which grows with every event;
// one hour costs one index query and one listing here, whatever the log's size. Why compact soon after an hour ends
// (not when its events are due for Glacier): S3 lifecycle rules count age from an object's creation, and only
// segments are large enough to transition at all, so a segment written at day 14 would reach Glacier at day 28.
// Compacted a day after the hour, the segment reaches each class close to the age the policy names.
//
// Late events (emitted into an hour already passed) are picked up by revisiting a bounded lookback of passed hours
// on every run; compactHour writes them into `segment-2…`. Crashes are compactHour's: an hour cut short is redone.
// A run holds the archive lease (archive-lease.ts) throughout; one that finds it held skips its round (the next round
// resumes from the checkpoint), since waiting would only redo what the holder is doing.

import { InvalidArgumentError } from '../domain/errors.ts';
import { ArchiveRunInProgressError } from '../domain/projection-errors.ts';
import { partitionPrefix } from '../domain/event.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { compactHour, segmentLimits, type CompactionReport, type SegmentLimits } from './compactor.ts';
import { takeArchiveLease } from './archive-lease.ts';
import type { HeldLease, LeaseClock } from './lease.ts';
import { mapLimit } from './map-limit.ts';

const HOUR = 3600;

/** Checkpoint name: every hour starting before its value (epoch seconds) has been compacted once. */
export const COMPACTION_CHECKPOINT = 'compaction';

/** Defaults of a scheduled run (exported so the stack, the handler and the docs state them once). */
export const COMPACTION_DEFAULTS = {
  /** An hour is compacted once it ended this long ago: emits in flight and the indexer have settled by then. */
  afterHours: 24,
  /**
   * Passed hours revisited on each run for late events: 16 days. An event is indexed as late as its hour + the bus's
   * retries (maxEventAge, 24 h by default) + the indexer dead-letter queue's 14 days (a redrive); compactHour leaves it
   * in place until then, and the run after that must still reach its hour (15 days back from the checkpoint, plus a
   * day for a failed run). Each hour costs one index query and one listing.
   */
  lookbackHours: 16 * 24,
  /** Hours compacted at once (independent partitions; a batch is the unit the checkpoint moves by). */
  concurrency: 8,
} as const;

export interface ScheduledCompactionDeps {
  readonly log: EventLog;
  readonly index: EventIndex;
  /** Where the walk resumes, and the archive lease (compare-and-set). */
  readonly checkpoints: CheckpointStore;
  /** The archive lease's wall clock, TTL and sleep (defaults Date.now, DEFAULT_ARCHIVE_LEASE_MS). */
  readonly lease?: LeaseClock;
}

/**
 * Also the size of the segments written (`maxSegmentEvents`, `maxSegmentBytes`; defaults SEGMENT_LIMITS): each of the
 * `concurrency` hours compacted at once holds one segment's events, so memory grows with both.
 */
export interface ScheduledCompactionOptions extends Partial<SegmentLimits> {
  /** Wall clock, epoch ms: hours that ended `afterHours` before it are due. */
  readonly now: number;
  /** Start of the first hour to compact when no checkpoint exists yet, epoch seconds (the deployment's first year). */
  readonly firstHour: number;
  readonly afterHours?: number;
  readonly lookbackHours?: number;
  readonly concurrency?: number;
  /** Epoch ms: no batch of hours starts at or after it (the next run resumes from the checkpoint). */
  readonly deadline?: number;
  /** Reads the time for the deadline (default Date.now). */
  readonly clock?: () => number;
}

/** What one scheduled run did. */
export interface ScheduledCompactionReport {
  /** Hours looked at (lookback and new ones). */
  readonly hoursVisited: number;
  /** Hours in which this run moved events into a segment. */
  readonly hoursCompacted: number;
  readonly eventsCompacted: number;
  /** Of those, events that arrived in hours an earlier run had already compacted (found by the lookback). */
  readonly lateEventsCompacted: number;
  /** Events left in their objects because the index does not know them yet (compacted when a lookback sees them). */
  readonly unindexed: number;
  /** The checkpoint after the run, epoch seconds: every hour before it has been compacted. */
  readonly next: number;
  /** Due hours the deadline (or a skipped round) left for the next run (0: caught up). */
  readonly hoursBehind: number;
  /** Present when this round did nothing because another archive run held the lease: why, and until when. */
  readonly skipped?: { readonly reason: string; readonly leaseExpiresAt: string };
}

/**
 * Compact every due hour from the checkpoint on, in time order, moving the checkpoint after each batch; first
 * revisit the `lookbackHours` before the checkpoint for late events. Stops at the deadline and resumes there.
 * Holds the archive lease for the whole run, renewed between batches and chunks; while another run holds it, the
 * round compacts nothing and says so in `skipped`. Throws `ArchiveRunInProgressError` if it lost the lease mid-run.
 *
 * @example
 * const report = await compactDueHours({ log, index, checkpoints }, { now: Date.now(), firstHour: Date.UTC(2024, 0, 1) / 1000 });
 */
export async function compactDueHours(deps: ScheduledCompactionDeps, options: ScheduledCompactionOptions): Promise<ScheduledCompactionReport> {
  const walk = walkOf(options);
  let lease: HeldLease;
  try {
    lease = await takeArchiveLease(deps);
  } catch (error) {
    if (!(error instanceof ArchiveRunInProgressError)) throw error;
    const start = await startOf(deps, walk);
    const skipped = { reason: error.message, leaseExpiresAt: new Date(error.expiresAt).toISOString() };
    return { hoursVisited: 0, hoursCompacted: 0, eventsCompacted: 0, lateEventsCompacted: 0, unindexed: 0, next: start, hoursBehind: Math.max(0, (walk.end - start) / HOUR), skipped };
  }
  try {
    return await walkHolding(deps, walk, lease);
  } finally {
    await lease.release();
  }
}

/** A run's validated settings: `end` is the start of the first hour not due yet. */
interface Walk {
  readonly firstHour: number;
  readonly end: number;
  readonly lookbackHours: number;
  readonly concurrency: number;
  readonly limits: SegmentLimits;
  readonly timeLeft: () => boolean;
}

function walkOf(options: ScheduledCompactionOptions): Walk {
  const afterHours = wholeNumber('afterHours', options.afterHours ?? COMPACTION_DEFAULTS.afterHours, 0);
  const lookbackHours = wholeNumber('lookbackHours', options.lookbackHours ?? COMPACTION_DEFAULTS.lookbackHours, 0);
  const concurrency = wholeNumber('concurrency', options.concurrency ?? COMPACTION_DEFAULTS.concurrency, 1);
  if (!Number.isInteger(options.firstHour) || options.firstHour % HOUR !== 0) {
    throw new InvalidArgumentError('firstHour', `must be the start of an hour in epoch seconds, got ${options.firstHour}`);
  }
  const clock = options.clock ?? Date.now;
  const { deadline } = options;
  return {
    firstHour: options.firstHour, end: Math.floor((options.now / 1000 - afterHours * HOUR) / HOUR) * HOUR, lookbackHours, concurrency,
    limits: segmentLimits(options), timeLeft: () => deadline === undefined || clock() < deadline,
  };
}

/** Where the walk resumes: read under the lease, since the run that held it last moved it. */
async function startOf(deps: ScheduledCompactionDeps, walk: Walk): Promise<number> {
  const stored = await deps.checkpoints.get(COMPACTION_CHECKPOINT);
  return stored > 0 ? stored : walk.firstHour;
}

async function walkHolding(deps: ScheduledCompactionDeps, walk: Walk, lease: HeldLease): Promise<ScheduledCompactionReport> {
  const { end, concurrency, timeLeft } = walk;
  const start = await startOf(deps, walk);
  // Hours are compacted `concurrency` at once: their renewals share one write (Lease.renewIfDue).
  const options = { ...walk.limits, lease };
  const totals = { hoursVisited: 0, hoursCompacted: 0, eventsCompacted: 0, lateEventsCompacted: 0, unindexed: 0 };
  const visit = async (hours: number[]): Promise<CompactionReport[]> => {
    await lease.renewIfDue();
    const reports = await mapLimit(hours, concurrency, (h) => compactHour(deps, partitionPrefix(h), options));
    for (const r of reports) {
      totals.hoursVisited++;
      if (r.compacted > 0) totals.hoursCompacted++;
      totals.eventsCompacted += r.compacted;
      totals.unindexed += r.unindexed;
    }
    return reports;
  };

  const lookback = hoursBetween(Math.max(walk.firstHour, start - walk.lookbackHours * HOUR), Math.min(start, end));
  for (let i = 0; i < lookback.length && timeLeft(); i += concurrency) {
    for (const r of await visit(lookback.slice(i, i + concurrency))) totals.lateEventsCompacted += r.compacted;
  }
  let next = start;
  while (next < end && timeLeft()) {
    const batch = hoursBetween(next, Math.min(end, next + concurrency * HOUR));
    await visit(batch);
    next = batch.at(-1)! + HOUR;
    await deps.checkpoints.set(COMPACTION_CHECKPOINT, next);
  }
  return { ...totals, next, hoursBehind: Math.max(0, (end - next) / HOUR) };
}

/** Starts of the hours in [from, to), epoch seconds. */
function hoursBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let h = from; h < to; h += HOUR) out.push(h);
  return out;
}

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(name, `must be a whole number >= ${min}, got ${value}`);
  return value;
}
