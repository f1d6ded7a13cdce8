// Where a rebuild writes: the unfinished generation of the same plan, resumed, or a new one filled from the plan's
// snapshot. An unfinished generation of another plan is dropped first; a finished one never is, nor taken over: it
// was kept unpromoted (--no-promote, --until) for someone to verify or promote later, and only an operator drops it
// (generations.ts). Only a rebuild that goes on to promote may take over a finished generation of its own plan
// (`resumeFinished`: an operator promoting what they kept), and the rebuild function, whose next invocation continues
// one a timeout cut short after its replay (an `until` request too: the same plan holds the same view).
// A generation without a checkpoint whose snapshot restore is still running or done (a run killed during it) is
// adopted when it is this plan's snapshot, left alone while another's still runs, and dropped once that one is done,
// whatever checkpoint it copied from its source (restore-adoption.ts).
// A generation built with other rules (rules-fingerprint.ts) is never resumed nor taken over, whatever its plan: its
// state follows those rules, and the rebuild's verification, which folds with the running ones, would fail.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { rebuildState } from './generations.ts';
import type { RebuildPlan } from './plan.ts';
import { rebuildCheckpointName } from './promote.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { planKeyOf, readCheckpoint, toJson } from './replay.ts';
import { restoreLeftover, type RestoreWait } from './restore-adoption.ts';
import { compareRules, GenerationRulesChangedError, recordRules, rulesByType, rulesFingerprint, upcastersOf, type RulesByType, type RulesFingerprint } from './rules-fingerprint.ts';
import { PlannedSnapshotNotRestorableError, PlannedSnapshotRemovedError } from './snapshot-errors.ts';

export { PlannedSnapshotNotRestorableError, PlannedSnapshotRemovedError } from './snapshot-errors.ts';

/** The generation a rebuild fills, whether it resumes one, and the checkpoint it continues from. */
export interface StartedGeneration {
  readonly generation: number;
  readonly resumed: boolean;
  readonly checkpoint: RebuildCheckpoint;
}

/** Which generation a rebuild may continue, and how long it may wait for a snapshot restore. */
export interface StartOptions {
  /** Resume this one (default: the one the CheckpointStore remembers for the projection). */
  readonly generation?: number;
  /** Take over a finished generation of the same plan (a rebuild that goes on to promote). */
  readonly resumeFinished?: boolean;
  readonly restoreWait?: RestoreWait;
}

/**
 * A resumable generation of the same plan (`generation`, or the one the CheckpointStore remembers for the
 * projection), or a new one filled from the plan's snapshot. Throws `InvalidArgumentError` when `generation` is given
 * and holds no resumable rebuild of this plan, `GenerationRulesChangedError` when it holds one built with other rules,
 * and `TransientError` while the generation to drop is still being restored from another snapshot (restore-adoption.ts)
 * or, as `PlannedSnapshotRemovedError`, when the plan's snapshot was removed since it was planned (a `snapshot prune`
 * between plan and lease), and as `PlannedSnapshotNotRestorableError` when it is still listed but no longer restorable.
 * Callers hold the projection's rebuild lease.
 */
export async function startGeneration(deps: RebuildDeps, projection: Projection, plan: RebuildPlan, options: StartOptions = {}): Promise<StartedGeneration> {
  const { generation, resumeFinished = false, restoreWait = {} } = options;
  const name = projection.name;
  const planKey = planKeyOf(plan.snapshot?.id ?? null, plan.until ?? null, projection.version);
  const upcasters = upcastersOf(deps.registry);
  const rules = rulesFingerprint(projection, upcasters);
  const types = rulesByType(projection, upcasters);
  const live = await deps.store.liveGeneration(name);
  const candidate = generation ?? (await deps.checkpoints?.get(rebuildCheckpointName(name))) ?? 0;
  let snapshotChecked = false;
  if (candidate > 0 && candidate !== live) {
    const existing = await readCheckpoint(deps, name, candidate);
    const unfinished = existing === undefined || rebuildState(existing) === 'unfinished';
    const resumable = unfinished || (resumeFinished && rebuildState(existing) === 'finished');
    // 'unknown' (a checkpoint older than fingerprints, or written by code of another form) resumes as it always did.
    const otherRules = existing !== undefined && compareRules(existing, rules) === 'other';
    if (existing && resumable && existing.planKey === planKey && !otherRules) return { generation: candidate, resumed: true, checkpoint: existing };
    if (generation !== undefined && otherRules && resumable && existing.planKey === planKey) {
      throw new GenerationRulesChangedError(name, candidate, existing.rulesFingerprint!, rules.fingerprint, 'resumed');
    }
    await checkPlannedSnapshot(deps, plan);
    snapshotChecked = true;
    // Killed while this plan's snapshot was restored into it: no checkpoint yet, or the one the restored table copied
    // from the snapshot's generation (its rebuild's snapshot was an earlier one). Waited for, not restored again.
    const leftover = plan.snapshot ? await restoreLeftover(deps.snapshots, name, plan.snapshot, candidate, existing) : undefined;
    if (leftover === 'adopt') return fill(deps, name, plan, { generation: candidate, resumed: true, planKey, rules, types, restoreWait });
    if (generation !== undefined) {
      const why = unfinished ? 'holds no resumable rebuild of this plan'
        : leftover === 'drop' ? 'is a restore of another snapshot than this plan\'s, left by a stopped rebuild, not one to resume'
        // The state generations list shows: a checkpoint older than the 'finished' mark still reads 'replaying'.
        : `is a finished rebuild (${rebuildState(existing)}), not one to resume`;
      throw new InvalidArgumentError('generation', `${name} generation ${candidate} ${why}`);
    }
    // An unfinished rebuild of another plan (or one killed before its restore began, or during one of another
    // snapshot that is done by now, whatever checkpoint it copied): start over. Only this rebuild's lease guards it,
    // and nobody was told it was kept.
    if (unfinished || leftover === 'drop') await deps.store.dropGeneration(name, candidate);
  }
  // Once is enough: the lease held since keeps any prune from removing it.
  if (!snapshotChecked) await checkPlannedSnapshot(deps, plan);
  return fill(deps, name, plan, { generation: await deps.store.createGeneration(name), resumed: false, planKey, rules, types, restoreWait });
}

/**
 * A plan picks its snapshot before the rebuild takes the lease, under which `eventlake snapshot prune` removes
 * snapshots: one pruned in that gap, or no longer restorable, would fail the restore only after a generation was
 * created. Checked under the lease, so no prune can remove it from here on; a resumed generation needs no snapshot.
 */
async function checkPlannedSnapshot(deps: RebuildDeps, plan: RebuildPlan): Promise<void> {
  const planned = plan.snapshot;
  if (!planned) return;
  const listed = (await deps.snapshots.list(plan.projection)).find((s) => s.id === planned.id);
  if (!listed) throw new PlannedSnapshotRemovedError(plan.projection, planned.id);
  // Restorable when planned (latestAtOrBefore skips the others): its table dropped or its PITR retention passed since.
  if (listed.notRestorable !== undefined) throw new PlannedSnapshotNotRestorableError(plan.projection, planned.id, listed.notRestorable);
}

/** Remember the generation as the projection's rebuild, restore the plan's snapshot into it, write its first checkpoint. */
async function fill(deps: RebuildDeps, name: string, plan: RebuildPlan,
  g: { generation: number; resumed: boolean; planKey: string; rules: RulesFingerprint; types: RulesByType; restoreWait: RestoreWait }): Promise<StartedGeneration> {
  await deps.checkpoints?.set(rebuildCheckpointName(name), g.generation);
  if (plan.snapshot) await deps.snapshots.restore(plan.snapshot, g.generation, g.restoreWait);
  const checkpoint: RebuildCheckpoint = {
    planKey: g.planKey, snapshotId: plan.snapshot?.id ?? null, baseMark: plan.baseMark, until: plan.until ?? null,
    replayedThrough: plan.baseMark, passTo: plan.baseMark, cursorTs: null, cursorId: null,
    applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'replaying', ...recordRules(g.rules, g.types),
  };
  await deps.store.setCheckpoint(name, g.generation, toJson(checkpoint));
  return { generation: g.generation, resumed: g.resumed, checkpoint };
}
