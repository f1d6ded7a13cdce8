// The restores a rebuild plan counts beyond the index's grouping of its replay set: the archive tier's current word on
// restored copies, and the archived objects that only the verification against the log reads.
//
// Why the verification: a rebuild from a snapshot replays only the positions above the snapshot's mark, but verifying
// it against the log (verify.ts) folds the log from position 1, so every archived object before the snapshot is
// restored too (the same tier and days as the replay's). A plan that counted the replay only said "0 restores" for a
// rebuild that then restored hundreds of Glacier objects.
//
// Cost: one more grouped scan of the index, of the positions up to the snapshot's mark; with the replay's scan of the
// positions above it, the plan reads every index row up to its mark once (as a plan `--from 0` does), never twice.
// It is made only when the plan starts from a snapshot and is verified against the log.

import type { RangeGroup, RebuildDeps } from './deps.ts';
import { summarizeRange } from './deps.ts';
import type { ArchiveClass, RestoreVolume } from './restore-costs.ts';
import type { VerifyAgainst } from './verify.ts';

/** What verifying the rebuild restores beyond what its replay restores. */
export interface VerificationRestores {
  /** The references the rebuild is to be verified against, as the plan was asked for. */
  readonly against: readonly VerifyAgainst[];
  /**
   * Archived objects without a readable copy that hold events at or below the snapshot's mark and none the replay
   * reads, per class; bytes are those events' lines. Zero unless `against` has 'log' and the plan starts from a
   * snapshot: a snapshot reference is advanced with the replayed events only, a live one with new (hot) events.
   */
  readonly restores: Readonly<Record<ArchiveClass, RestoreVolume>>;
}

type PlanDeps = Pick<RebuildDeps, 'index'> & Partial<Pick<RebuildDeps, 'archive'>>;

const NONE: Readonly<Record<ArchiveClass, RestoreVolume>> = { GLACIER: { objects: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, bytes: 0 } };

/**
 * The verification's restores of a plan whose replay set is `replayGroups` (restore states already current) and
 * which starts after `baseMark`.
 */
export async function verificationRestores(deps: PlanDeps, against: readonly VerifyAgainst[], baseMark: number, replayGroups: readonly RangeGroup[]): Promise<VerificationRestores> {
  if (!against.includes('log') || baseMark === 0) return { against, restores: NONE };
  const replayKeys = new Set(replayGroups.map((g) => g.key).filter((k): k is string => k !== null));
  const before = await currentRestores(deps, await summarizeRange(deps.index, { after: 0, upTo: baseMark }));
  const keys = { GLACIER: new Set<string>(), DEEP_ARCHIVE: new Set<string>() };
  const own = { GLACIER: 0, DEEP_ARCHIVE: 0 };
  const bytes = { GLACIER: 0, DEEP_ARCHIVE: 0 };
  for (const g of before) {
    // An object the replay also reads is restored (and priced) by the replay; reading it again costs nothing.
    if (g.storageClass === 'STANDARD' || g.restore === 'RESTORED' || (g.key !== null && replayKeys.has(g.key))) continue;
    if (g.key === null) own[g.storageClass] += g.events;
    else keys[g.storageClass].add(g.key);
    bytes[g.storageClass] += g.bytes + g.events;
  }
  const volume = (c: ArchiveClass): RestoreVolume => ({ objects: keys[c].size + own[c], bytes: bytes[c] });
  return { against, restores: { GLACIER: volume('GLACIER'), DEEP_ARCHIVE: volume('DEEP_ARCHIVE') } };
}

/**
 * The groups with the restore state the tier reports now (as is without `deps.archive`). Why: the index keeps the last
 * restore state it heard of, so a restored copy that has since expired would be planned as readable (no restore
 * needed) and the rebuild would then have to restore it anyway. Only objects with a restore on record can have moved
 * on; one-event objects (no key in their group) keep the index's word.
 */
export async function currentRestores(deps: PlanDeps, groups: readonly RangeGroup[]): Promise<RangeGroup[]> {
  if (!deps.archive) return [...groups];
  const asked = [...new Set(groups.filter((g) => g.storageClass !== 'STANDARD' && g.restore !== 'NONE' && g.key !== null).map((g) => g.key!))];
  if (asked.length === 0) return [...groups];
  const current = new Map((await deps.archive.storage(asked)).map((s) => [s.key, s.restore]));
  return groups.map((g) => (g.key !== null && current.has(g.key) ? { ...g, restore: current.get(g.key)! } : g));
}
