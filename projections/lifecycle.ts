// The lifecycle run: hours old enough for the archive are compacted first, then their segments move to colder classes;
// younger hours are compacted once they ended compactAfterHours ago (a day, as the AWS compaction function).
// One run at a time per data dir or stack: it holds the archive lease (archive-lease.ts) from start to end.

import type { ArchiveTier } from '../domain/ports/archive-tier.ts';
import { DEFAULT_LIFECYCLE, lifecycleClass } from '../domain/ports/archive-tier.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { StorageClass } from '../domain/ports/storage.ts';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../domain/errors.ts';
import { SEGMENT_OBJECT_SUFFIX } from '../domain/event.ts';
import { compactHour, segmentLimits } from './compactor.ts';
import { COMPACTION_DEFAULTS } from './compaction-schedule.ts';
import { endedBy, hasEventsSince, holdsOriginals } from './lifecycle-hours.ts';
import { hoursToVisit } from './lifecycle-watermark.ts';
import { UndispatchedHours } from './undispatched-hours.ts';
import { takeArchiveLease, type ArchiveLeaseDeps } from './archive-lease.ts';
import type { HeldLease } from './lease.ts';
import { lifecycleTotals } from './lifecycle-totals.ts';
import type { LifecycleOptions, LifecycleReport } from './lifecycle-types.ts';

export type { ClassTotals } from './lifecycle-totals.ts';
export type { LifecycleOptions, LifecycleReport } from './lifecycle-types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const RANK: Readonly<Record<StorageClass, number>> = { STANDARD: 0, GLACIER: 1, DEEP_ARCHIVE: 2 };

/**
 * What a lifecycle run works with. `checkpoints` holds the archive lease (without it nothing is locked: every CLI
 * command passes its target's), `lease` its clock.
 */
export interface LifecycleDeps extends ArchiveLeaseDeps {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly archive: ArchiveTier;
  /**
   * The dispatch checkpoint (every event at or below it was delivered). Given, an hour holding an event above it
   * stays hot this run: archived, that event could not be read by the dispatch tail, which would stop there.
   */
  readonly dispatchedPosition?: () => Promise<number>;
  /**
   * 'local' (a local runtime passes its own) with `checkpoints`: a run looks only at hours that got events or aged past
   * a cutoff since the last run that finished (lifecycle-watermark.ts), not at every hour. Otherwise every hour.
   */
  readonly target?: 'local' | 'aws';
}

/**
 * Apply the lifecycle policy: every hour whose newest event is at least `glacierAfterDays` old is compacted,
 * then its segments are transitioned to the class its age calls for (never to a warmer one). Hours with events
 * not dispatched yet (given `dispatchedPosition`) are left for a later run. Younger hours that ended at least
 * `compactAfterHours` ago are compacted only, dispatched or not (dispatch reads where the index points, as on AWS).
 * A tier that refuses transitions with `UnsupportedOnTargetError` (on AWS the bucket's lifecycle rules archive) gets
 * no more requests: every due hour is still compacted, and the segments are counted in `transitionsLeftToTier`.
 * Compaction writes segments within `maxSegmentEvents` / `maxSegmentBytes` (defaults SEGMENT_LIMITS). Idempotent.
 * With `target` 'local' and `checkpoints`, a run that finished saves a watermark (lifecycle-watermark.ts), and the next
 * looks only at hours that got events or aged past a cutoff since: a run costs what changed, not the whole history.
 *
 * Throws `InvalidArgumentError` naming `now` when it is not a finite epoch-ms number, or `compactAfterHours` when it is
 * not a whole number >= 0, before taking the lease.
 * Holds the archive lease for the whole run, renewed between hours and chunks: throws `ArchiveRunInProgressError`
 * (naming when the lease expires) before touching anything while another run holds it, or if it lost the lease.
 *
 * @example
 * // A runtime (openLocalEventlake, openAwsEventlake) has every dep: its checkpoints hold the archive lease, and its
 * // dispatchedPosition keeps undispatched hours hot. `{ log, index, archive }` alone would lock and guard nothing.
 * const report = await runLifecycle(local, { now: Date.now() });
 * console.log(report.transitioned.GLACIER.objects, report.classes.DEEP_ARCHIVE.events);
 */
export async function runLifecycle(deps: LifecycleDeps, options: LifecycleOptions): Promise<LifecycleReport> {
  // Checked here, before the lease: a NaN cutoff reached the index as a time range and was refused naming `range`.
  if (typeof options.now !== 'number' || !Number.isFinite(options.now)) {
    throw new InvalidArgumentError('now', `${typeof options.now === 'string' ? JSON.stringify(options.now) : String(options.now)} is not a time: give the wall clock in epoch ms, e.g. { now: Date.now() }`);
  }
  const compactAfterHours = options.compactAfterHours ?? COMPACTION_DEFAULTS.afterHours;
  if (!Number.isInteger(compactAfterHours) || compactAfterHours < 0) {
    throw new InvalidArgumentError('compactAfterHours', `must be a whole number of hours >= 0, e.g. ${COMPACTION_DEFAULTS.afterHours}; got ${String(compactAfterHours)}`);
  }
  const lease = await takeArchiveLease(deps);
  try {
    return await lifecycleHolding(deps, { ...options, compactAfterHours }, lease);
  } finally {
    await lease.release();
  }
}

async function lifecycleHolding(deps: LifecycleDeps, options: LifecycleOptions & { compactAfterHours: number }, lease: HeldLease): Promise<LifecycleReport> {
  const policy = options.policy ?? DEFAULT_LIFECYCLE;
  const limits = segmentLimits(options);
  const cutoff = (options.now - policy.glacierAfterDays * DAY_MS) / 1000;
  const compactCutoff = (options.now - options.compactAfterHours * HOUR_MS) / 1000;
  const cutoffs = { compact: compactCutoff, glacier: cutoff, deep: (options.now - policy.deepArchiveAfterDays * DAY_MS) / 1000 };
  // Without the watermark a read of the whole index (on AWS a Scan): it may outlast a lease's renewal interval.
  const { hours, save } = await lease.during(() => hoursToVisit(deps, cutoffs, Math.max(cutoff, compactCutoff)));

  let hoursCompacted = 0;
  let eventsCompacted = 0;
  let hotHoursCompacted = 0;
  let hoursUndispatched = 0;
  let transitionsLeftToTier = 0;
  let tierArchivesItself = false;
  const moved: { key: string; to: StorageClass }[] = [];
  const told: string[] = [];
  const undispatched = deps.dispatchedPosition ? await UndispatchedHours.open(deps.index, deps.dispatchedPosition) : undefined;
  for (const [prefix, hour] of hours) {
    await lease.renewIfDue();
    if (await hasEventsSince(deps.index, prefix, cutoff)) {
      // Too young to archive: compacted only, once it ended compactAfterHours ago (as the AWS compaction function does).
      if (!endedBy(prefix, compactCutoff) || !(await holdsOriginals(deps.log, prefix, hour))) continue;
      const r = await compactHour(deps, prefix, { ...limits, lease });
      if (r.compacted > 0) {
        hoursCompacted++;
        hotHoursCompacted++;
      }
      eventsCompacted += r.compacted;
      continue;
    }
    if (undispatched?.seen(prefix)) {
      hoursUndispatched++;
      continue;
    }
    const target = lifecycleClass(policy, (options.now - hour.newest * 1000) / DAY_MS);
    if (target === 'STANDARD') continue;
    let segments = hour.keys.filter((k) => k.endsWith(SEGMENT_OBJECT_SUFFIX));
    if (await holdsOriginals(deps.log, prefix, hour)) {
      const r = await compactHour(deps, prefix, { ...limits, lease });
      if (r.compacted > 0) hoursCompacted++;
      eventsCompacted += r.compacted;
      segments = [...r.segments];
    } else if (hour.classes.every((c) => RANK[c] >= RANK[target])) {
      continue;
    }
    // Asked again, reading what was indexed since, right before anything moves: another process may have appended
    // into this old hour meanwhile (its event is in the segment now, which then stays hot; the next run archives it
    // once it is dispatched). Hours already in their class never get here, so a run costs one read per hour it moves.
    if (await undispatched?.has(prefix)) {
      hoursUndispatched++;
      continue;
    }
    const indexed = new Map(hour.keys.map((k, i) => [k, hour.classes[i]]));
    for (const s of await deps.archive.storage(segments)) {
      if (RANK[s.storageClass] >= RANK[target]) {
        // Moved by a run killed before it told the index: the tier has it, the index still says otherwise (check's
        // storageMismatch, a rebuild planning one restore short). Told now; nothing else would ever tell it.
        if (indexed.has(s.key) && indexed.get(s.key) !== s.storageClass) told.push(s.key);
        continue;
      }
      if (!tierArchivesItself) {
        try {
          await deps.archive.transition(s.key, target);
          moved.push({ key: s.key, to: target });
          continue;
        } catch (error) {
          // The tier's own rules archive (by age since the segment was written); asking again for every segment
          // would only be refused again, while the compaction they depend on still has hours to do.
          if (!(error instanceof UnsupportedOnTargetError)) throw error;
          tierArchivesItself = true;
        }
      }
      transitionsLeftToTier++;
    }
  }
  // The tier may report changes to the index itself (FsArchiveTier's listener); writing them here too keeps any
  // tier/index pair in step, and setObjectStorage is idempotent.
  for (const s of await deps.archive.storage([...moved.map((m) => m.key), ...told])) await deps.index.setObjectStorage(s.key, s.storageClass, s.restore);
  // Renewed right before: a holder that stalled past its lease must not save over the run that took it.
  await lease.renewIfDue();
  await save();

  const { transitioned, classes } = lifecycleTotals(await deps.index.objects(), moved);
  return { hoursCompacted, eventsCompacted, hotHoursCompacted, hoursUndispatched, transitionsLeftToTier, transitioned, classes };
}

