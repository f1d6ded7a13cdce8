// The refusal to promote an unfinished generation, ending with the commands that fix it as this CLI spells them (the
// global options given included): the rebuild that resumes it, when one can, and the drop. The coordinator knows no
// CLI options, so it names them only in words (promotable.ts).

import type { Projection } from '../../domain/projection.ts';
import type { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { UnfinishedGenerationError } from '../../projections/rebuild/promotable.ts';
import type { RebuildCheckpoint } from '../../projections/rebuild/replay.ts';
import { planKeyOf } from '../../projections/rebuild/replay.ts';
import { compareRules } from '../../projections/rebuild/rules-fingerprint.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import type { FollowUp } from '../follow-up.ts';

/** `error` with the commands spelled when it is an UnfinishedGenerationError; any other error as it is. */
export async function withUnfinishedFixes(error: unknown, runtime: EventlakeRuntime, coordinator: RebuildCoordinator, projection: Projection, next: FollowUp): Promise<unknown> {
  if (!(error instanceof UnfinishedGenerationError)) return error;
  const drop = next('generations', 'drop', String(error.generation), '--projection', projection.name);
  // No checkpoint yet (its snapshot is being restored): nothing says which --from started it.
  const rerun = error.checkpoint
    ? await resumingRebuild(runtime, coordinator, projection, error.checkpoint, next)
    : `${next('rebuild', '--projection', projection.name, '--from', 'T')}, with the --from and --until that started it`;
  return error.withFixes({ drop, ...(rerun !== undefined ? { rerun } : {}) });
}

/**
 * The rebuild command whose plan is the checkpoint's (so it resumes the generation), or undefined when none is: its
 * snapshot gone or no longer restorable, another projection version or other rules, an --until no option can give.
 */
async function resumingRebuild(runtime: EventlakeRuntime, coordinator: RebuildCoordinator, projection: Projection, cp: RebuildCheckpoint, next: FollowUp): Promise<string | undefined> {
  // --until is read in whole seconds (an event time); --from keeps milliseconds.
  if (cp.until !== null && cp.until % 1000 !== 0) return undefined;
  if (compareRules(cp, coordinator.rules(projection)) === 'other') return undefined;
  let from = '0';
  if (cp.snapshotId !== null) {
    const taken = (await runtime.snapshots.list(projection.name)).find((s) => s.id === cp.snapshotId);
    if (!taken) return undefined;
    // The plan starts from the newest restorable snapshot at or before --from: its own takenAt, as snapshot list prints it.
    if ((await runtime.snapshots.latestAtOrBefore(projection.name, taken.takenAt))?.id !== cp.snapshotId) return undefined;
    from = new Date(taken.takenAt).toISOString();
  }
  if (planKeyOf(cp.snapshotId, cp.until, projection.version) !== cp.planKey) return undefined;
  return next('rebuild', '--projection', projection.name, '--from', from, ...(cp.until !== null ? ['--until', isoSeconds(cp.until)] : []));
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
