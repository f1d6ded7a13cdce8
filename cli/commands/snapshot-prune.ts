// `eventlake snapshot prune`: which snapshots of a projection go (all but the newest N, or those taken before T), and
// removing them under the projection's rebuild lease, so no rebuild is restoring one meanwhile.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import type { HeldLease } from '../../projections/lease.ts';
import { takeRebuildLease } from '../../projections/rebuild/rebuild-lease.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { wholeNumber } from '../options.ts';
import { parseTimeMs } from '../time.ts';

/** Keep the newest `keep` snapshots of each projection, or remove those taken before `olderThan` (epoch ms). */
export type PruneRule = { readonly keep: number } | { readonly olderThan: number };

/** What a prune removed (or, in a dry run, would remove) and kept of one projection, each oldest first. */
export interface PruneOutcome {
  readonly projection: string;
  readonly removed: readonly SnapshotInfo[];
  readonly kept: readonly SnapshotInfo[];
  /** Data files no snapshot listed (a take or prune killed half-way), reclaimed; none in a dry run. */
  readonly leftovers: readonly { readonly id: string; readonly bytes: number }[];
}

/**
 * The rule of `--keep N` / `--older-than T`: exactly one of them. Why N >= 1, and why `--older-than` keeps the newest
 * snapshot whatever its age: without any snapshot a rebuild replays the whole log from its start (archived days
 * restored first), which is never what trimming old snapshots means.
 */
export function pruneRule(flags: { keep?: string; olderThan?: string }): PruneRule {
  if ((flags.keep === undefined) === (flags.olderThan === undefined)) {
    throw new InvalidArgumentError('--keep', 'give exactly one of --keep N (keep the newest N of each projection) or --older-than T (remove those taken before T)');
  }
  if (flags.keep !== undefined) {
    if (flags.keep.trim() === '0') {
      throw new InvalidArgumentError('--keep', '0 would remove every snapshot, and a rebuild would then replay from the start of the log: give --keep 1 or more');
    }
    return { keep: wholeNumber('--keep', flags.keep, 1) };
  }
  return { olderThan: parseTimeMs('--older-than', flags.olderThan!) };
}

/**
 * Split snapshots (oldest first) into those the rule removes and those it keeps; the newest restorable one is always
 * kept. One no longer restorable (`notRestorable`: on AWS, PITR no longer covers it) is always removed, whatever the
 * rule: no rebuild can start from it, so it is neither one of the newest N nor the one kept.
 */
export function pruneSelection(snapshots: readonly SnapshotInfo[], rule: PruneRule): { removed: SnapshotInfo[]; kept: SnapshotInfo[] } {
  const usable = snapshots.filter((s) => s.notRestorable === undefined);
  const cut = 'keep' in rule
    ? Math.max(0, usable.length - rule.keep)
    : Math.min(Math.max(0, usable.length - 1), usable.filter((s) => s.takenAt < rule.olderThan).length);
  const kept = new Set(usable.slice(cut));
  return { removed: snapshots.filter((s) => !kept.has(s)), kept: [...kept] };
}

/**
 * Prune the snapshots of `projections`. Takes every projection's rebuild lease before removing anything, so a running
 * rebuild (or verification, promotion, generation drop) of any of them refuses the whole prune with its
 * `RebuildInProgressError` and nothing is removed. A dry run takes no lease and removes nothing.
 */
export async function pruneSnapshots(runtime: EventlakeRuntime, projections: readonly string[], rule: PruneRule, dryRun: boolean): Promise<PruneOutcome[]> {
  const leases: HeldLease[] = [];
  try {
    if (!dryRun) for (const name of projections) leases.push(await takeRebuildLease(runtime, name));
    const outcomes: PruneOutcome[] = [];
    for (const projection of projections) {
      // Listed under the lease: a snapshot taken since the caller last looked counts as one of the newest.
      const { removed, kept } = pruneSelection(await runtime.snapshots.list(projection), rule);
      if (!dryRun) for (const snapshot of removed) await runtime.snapshots.remove(snapshot);
      const leftovers = dryRun ? [] : ((await runtime.snapshots.removeLeftovers?.(projection)) ?? []);
      outcomes.push({ projection, removed, kept, leftovers });
    }
    return outcomes;
  } finally {
    for (const lease of leases) await lease.release();
  }
}
