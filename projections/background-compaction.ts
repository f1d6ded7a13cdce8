// Background compaction for a long-running local process (`serve`, `run`): every so often, the hours that ended at
// least compactAfterHours ago are compacted, as `archive run` compacts them, under the same archive lease. Never the
// archive moves: those stay `archive run`'s, which an operator schedules with a policy in mind.
//
// Why here and not only in `archive run`: nothing ran that by itself, and a busy `serve` kept one file per append and
// hour (a soak: 87k files, 347 MB for 40 MB of events) while queries slowed down with the file count.

import { InvalidArgumentError } from '../domain/errors.ts';
import { partitionPrefix } from '../domain/event.ts';
import { ArchiveRunInProgressError } from '../domain/projection-errors.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { takeArchiveLease, type ArchiveLeaseDeps } from './archive-lease.ts';
import { COMPACTION_DEFAULTS } from './compaction-schedule.ts';
import { hotHours, readHotWatermark, saveHotWatermark, watermarkAfter } from './compaction/hot-watermark.ts';
import { compactHour, segmentLimits, type SegmentLimits } from './compactor.ts';
import { holdsOriginals, type LifecycleHour } from './lifecycle-hours.ts';
import { isTimerDelay, LONGEST_TIMER_MS } from './longest-timer.ts';

const HOUR = 3600;
const HOUR_MS = 3_600_000;

/** How long after start the first background run waits (or the interval, if shorter): short runs never pay for one. */
export const FIRST_BACKGROUND_RUN_MS = 5 * 60_000;

/** What a background run works with: a runtime's log, index, checkpoints (the archive lease) and wall clock. */
export interface HotCompactionDeps extends ArchiveLeaseDeps {
  readonly log: EventLog;
  readonly index: EventIndex;
  /** Wall clock, epoch ms: hours that ended compactAfterHours before it are due. */
  readonly now: () => number;
}

export interface HotCompactionOptions extends Partial<SegmentLimits> {
  /** Hours that ended at least this long ago are compacted (default COMPACTION_DEFAULTS.afterHours, 24). */
  readonly compactAfterHours?: number;
  /** Asked before each hour and each chunk: true stops the run there, as a crash would (compactHour is crash-safe). */
  readonly stopped?: () => boolean;
}

/** What one background run did; `skipped` when another run held the archive lease, so nothing was done. */
export interface HotCompactionReport {
  /** Hours whose folder the run listed: late and fresh ones (see compaction/hot-watermark.ts), never the whole history. */
  readonly hoursVisited: number;
  readonly hoursCompacted: number;
  readonly eventsCompacted: number;
  readonly skipped: boolean;
}

/** Thrown through compactHour by the lease wrapper when the run is stopped; never leaves this module. */
class Stopped extends Error {}

/** What holdsOriginals knows of an hour from the index here: nothing, so it lists the folder. */
const LIST_TO_KNOW: LifecycleHour = { newest: -Infinity, keys: [], classes: [] };

/**
 * Compact the hours that ended at least `compactAfterHours` ago and may still hold originals, with the compactor
 * `archive run` uses (crash-safe, bounded chunks), holding the archive lease. Which hours: those that ended or got
 * events since the last run, by the durable watermark in `deps.checkpoints` (compaction/hot-watermark.ts; without a
 * store, every hour that holds an event). Another run holding the lease → nothing done, `skipped`. `stopped()` is asked
 * between hours and chunks; a stop keeps the chunks finished, saves the hours finished and frees the lease.
 *
 * @example
 * const report = await compactHotHours(local, { compactAfterHours: 24 });
 */
export async function compactHotHours(deps: HotCompactionDeps, options: HotCompactionOptions = {}): Promise<HotCompactionReport> {
  const after = options.compactAfterHours ?? COMPACTION_DEFAULTS.afterHours;
  if (!Number.isInteger(after) || after < 0) {
    throw new InvalidArgumentError('compactAfterHours', `must be a whole number of hours >= 0, e.g. ${COMPACTION_DEFAULTS.afterHours}; got ${String(after)}`);
  }
  const stopped = options.stopped ?? (() => false);
  let lease;
  try {
    lease = await takeArchiveLease(deps);
  } catch (error) {
    if (error instanceof ArchiveRunInProgressError) return { hoursVisited: 0, hoursCompacted: 0, eventsCompacted: 0, skipped: true };
    throw error;
  }
  const totals = { hoursVisited: 0, hoursCompacted: 0, eventsCompacted: 0 };
  try {
    const held = lease;
    const end = Math.floor((deps.now() - after * HOUR_MS) / HOUR_MS) * HOUR;
    const limits = segmentLimits(options);
    // compactHour renews before each chunk: stopping there is a stop between chunks, where a crash is harmless.
    const stoppable = {
      renewIfDue: async () => { if (stopped()) throw new Stopped(); await held.renewIfDue(); },
      during: <T>(work: () => Promise<T>) => held.during(work),
    };
    const mark = await readHotWatermark(deps.checkpoints);
    const hours = await held.during(() => hotHours(deps.index, mark, end));
    let done = 0;
    try {
      for (const hour of [...hours.late, ...hours.fresh]) {
        if (stopped()) break;
        const prefix = partitionPrefix(hour);
        totals.hoursVisited++;
        if (await holdsOriginals(deps.log, prefix, LIST_TO_KNOW)) {
          const r = await compactHour(deps, prefix, { ...limits, lease: stoppable });
          if (r.compacted > 0) totals.hoursCompacted++;
          totals.eventsCompacted += r.compacted;
        }
        done++;
      }
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
    }
    // Renewed right before: a holder that stalled past its lease must not save over the run that took it.
    await held.renewIfDue();
    await saveHotWatermark(deps.checkpoints, mark, watermarkAfter(mark, hours, done, end));
  } catch (error) {
    // A lease lost to another run is that run's turn, as a lease held at start; nothing is saved then.
    if (!(error instanceof ArchiveRunInProgressError)) throw error;
  } finally {
    await lease.release();
  }
  return { ...totals, skipped: false };
}

/** A background compaction running on its timer: `stop()` resolves once no run is in flight (stopped between chunks). */
export interface BackgroundCompaction {
  stop(): Promise<void>;
}

export interface BackgroundCompactionOptions extends Omit<HotCompactionOptions, 'stopped'> {
  /** Time between two runs, ms; 0 runs none. */
  readonly everyMs: number;
  /** Delay of the first run, ms (default the shorter of FIRST_BACKGROUND_RUN_MS and `everyMs`). */
  readonly firstAfterMs?: number;
  /** Told after each run that compacted something. */
  readonly compacted: (report: HotCompactionReport) => void;
  /** Told when a run failed; the next run is still scheduled. */
  readonly failed: (error: Error) => void;
}

/**
 * Run `compactHotHours` every `everyMs`, the first after `firstAfterMs`, one at a time (the next is timed from the end
 * of the last). Its timers keep no process alive. Either delay outside 0 to LONGEST_TIMER_MS: InvalidArgumentError.
 *
 * @example
 * const compaction = compactInBackground(local, { everyMs: 3_600_000, compacted: (r) => log(r), failed: (e) => log(e) });
 * await compaction.stop(); // before local.close()
 */
export function compactInBackground(deps: HotCompactionDeps, options: BackgroundCompactionOptions): BackgroundCompaction {
  const { everyMs, compacted, failed, firstAfterMs, ...hot } = options;
  for (const [name, ms] of [['everyMs', everyMs], ['firstAfterMs', firstAfterMs ?? 0]] as const) {
    // Node fires a longer (or negative) timer after 1 ms: each run would start as the last one ended.
    if (!isTimerDelay(ms)) throw new InvalidArgumentError(name, `must be ms from 0 to ${LONGEST_TIMER_MS} (about 24 days), the longest a timer waits; got ${String(ms)}`);
  }
  if (everyMs === 0) return { stop: async () => {} };
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const turn = async () => {
    try {
      const report = await compactHotHours(deps, { ...hot, stopped: () => stopping });
      if (report.eventsCompacted > 0) compacted(report);
    } catch (error) {
      if (!stopping) failed(error as Error);
    }
  };
  const schedule = (ms: number) => {
    if (stopping) return;
    timer = setTimeout(() => {
      running = turn().finally(() => {
        running = undefined;
        schedule(everyMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(firstAfterMs ?? Math.min(FIRST_BACKGROUND_RUN_MS, everyMs));
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
