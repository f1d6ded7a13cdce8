// What runLifecycle takes and reports (its options and report), apart from the run itself (lifecycle.ts).

import type { LifecyclePolicy } from '../domain/ports/archive-tier.ts';
import type { StorageClass } from '../domain/ports/storage.ts';
import type { SegmentLimits } from './compactor.ts';
import type { ClassTotals } from './lifecycle-totals.ts';

/** What a lifecycle run did, and where everything sits afterwards. */
export interface LifecycleReport {
  /** Hours whose one-event objects were compacted by this run. */
  readonly hoursCompacted: number;
  readonly eventsCompacted: number;
  /** Of `hoursCompacted`, those compacted at `compactAfterHours`, not old enough to archive yet (they stay STANDARD). */
  readonly hotHoursCompacted: number;
  /** Old enough hours left hot because they hold events not dispatched yet (archived by a later run). */
  readonly hoursUndispatched: number;
  /**
   * Segments due for a colder class that this run left to the tier's own rules: a tier that archives by itself (S3
   * lifecycle rules behind a write-once bucket policy) refuses transitions with `UnsupportedOnTargetError`, and from
   * that refusal on the run only compacts. Those rules count age from the segment's creation, i.e. this compaction.
   */
  readonly transitionsLeftToTier: number;
  /** Objects moved by this run, by the class they moved to. */
  readonly transitioned: Readonly<Record<StorageClass, ClassTotals>>;
  /** Every indexed object after the run, by class. */
  readonly classes: Readonly<Record<StorageClass, ClassTotals>>;
}

export interface LifecycleOptions extends Partial<SegmentLimits> {
  /** The wall clock the ages are measured from, epoch ms. */
  readonly now: number;
  readonly policy?: LifecyclePolicy;
  /**
   * Hours that ended at least this long ago are compacted even when too young to archive (default
   * COMPACTION_DEFAULTS.afterHours, 24, as the AWS compaction function): a busy data dir writes one object per append,
   * and queries slow down with the file count.
   */
  readonly compactAfterHours?: number;
}
