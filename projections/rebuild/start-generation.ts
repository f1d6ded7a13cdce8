// Where a rebuild writes: the unfinished generation of the same plan, resumed, or a new one filled from the plan's
// snapshot. An unfinished generation of another plan is dropped first; a finished one never is, nor taken over: it
// was kept unpromoted (--no-promote, --until) for someone to verify or promote later, and only an operator drops it
// (generations.ts). Only a rebuild that goes on to promote may take over a finished generation of its own plan
// (`resumeFinished`: an operator promoting what they kept), and the rebuild function, whose next invocation continues
// one a timeout cut short after its replay (an `until` request too: the same plan holds the same view).
// A generation built with other rules (rules-fingerprint.ts) is never resumed nor taken over, whatever its plan: its
// state follows those rules, and the rebuild's verification, which folds with the running ones, would fail.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import type { RebuildPlan } from './plan.ts';
import { rebuildCheckpointName } from './promote.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { planKeyOf, readCheckpoint, toJson } from './replay.ts';
import { compareRules, GenerationRulesChangedError, recordRules, rulesFingerprint, upcastersOf } from './rules-fingerprint.ts';

/** The generation a rebuild fills, whether it resumes one, and the checkpoint it continues from. */
export interface StartedGeneration {
  readonly generation: number;
  readonly resumed: boolean;
  readonly checkpoint: RebuildCheckpoint;
}

/**
 * A resumable generation of the same plan (`generation`, or the one the CheckpointStore remembers for the
 * projection), or a new one filled from the plan's snapshot. Throws `InvalidArgumentError` when `generation` is given
 * and holds no resumable rebuild of this plan, `GenerationRulesChangedError` when it holds one built with other rules.
 * Callers hold the projection's rebuild lease.
 */
export async function startGeneration(deps: RebuildDeps, projection: Projection, plan: RebuildPlan, generation?: number, resumeFinished = false): Promise<StartedGeneration> {
  const name = projection.name;
  const planKey = planKeyOf(plan.snapshot?.id ?? null, plan.until ?? null, projection.version);
  const rules = rulesFingerprint(projection, upcastersOf(deps.registry));
  const live = await deps.store.liveGeneration(name);
  const candidate = generation ?? (await deps.checkpoints?.get(rebuildCheckpointName(name))) ?? 0;
  if (candidate > 0 && candidate !== live) {
    const existing = await readCheckpoint(deps, name, candidate);
    const unfinished = existing === undefined || existing.phase === 'replaying';
    const resumable = unfinished || (resumeFinished && existing.phase === 'finished');
    // 'unknown' (a checkpoint older than fingerprints, or written by code of another form) resumes as it always did.
    const otherRules = existing !== undefined && compareRules(existing, rules) === 'other';
    if (existing && resumable && existing.planKey === planKey && !otherRules) return { generation: candidate, resumed: true, checkpoint: existing };
    if (generation !== undefined && otherRules && resumable && existing.planKey === planKey) {
      throw new GenerationRulesChangedError(name, candidate, existing.rulesFingerprint!, rules.fingerprint, 'resumed');
    }
    if (generation !== undefined) {
      const why = unfinished ? 'holds no resumable rebuild of this plan' : `is a finished rebuild (${existing.phase}), not one to resume`;
      throw new InvalidArgumentError('generation', `${name} generation ${candidate} ${why}`);
    }
    // An unfinished rebuild of another plan (or one killed while its snapshot was restored, before any checkpoint):
    // start over. Only this rebuild's lease guards it, and nobody was told it was kept.
    if (unfinished) await deps.store.dropGeneration(name, candidate);
  }
  const created = await deps.store.createGeneration(name);
  await deps.checkpoints?.set(rebuildCheckpointName(name), created);
  if (plan.snapshot) await deps.snapshots.restore(plan.snapshot, created);
  const checkpoint: RebuildCheckpoint = {
    planKey, snapshotId: plan.snapshot?.id ?? null, baseMark: plan.baseMark, until: plan.until ?? null,
    replayedThrough: plan.baseMark, passTo: plan.baseMark, cursorTs: null, cursorId: null,
    applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'replaying', ...recordRules(rules),
  };
  await deps.store.setCheckpoint(name, created, toJson(checkpoint));
  return { generation: created, resumed: false, checkpoint };
}
