// Which generations a promotion may verify and make live, and the checkpoint it tops one up from: a finished rebuild,
// a retired one (a rollback), and the lake's first generation once a promotion retired it.
//
// Why the first generation has a checkpoint made up here: dispatch filled it, from an empty projection, while it was
// live, and nothing recorded where dispatch stopped delivering to it when a promotion retired it (on AWS, deliveries
// are asynchronous: no position is known to have reached it). So it counts as complete up to position 0 only, like a
// rebuild from an empty projection: a verification compares it where dispatch is, advancing it in memory with the
// events its idempotency records lack, and the promotion tops it up from 0, where the events it holds are
// duplicates. The first rollback to it reads the whole log; the promotion then records where it was topped up to, so
// a later rollback to it starts there.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { otherGenerations, rebuildState } from './generations.ts';
import { NotPromotableError } from './generation-errors.ts';
import { assertPromotable } from './promote.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { readCheckpoint } from './replay.ts';
import type { RecordedRules, RulesFingerprint } from './rules-fingerprint.ts';

/** The generation dispatch fills when a lake starts (local and AWS alike); rebuilds create the later ones. */
const FIRST_GENERATION = 1;

/** The planKey of the checkpoint of a first generation filled by dispatch: no plan, and no projection version to hold it to. */
export const DISPATCH_FILLED_PLAN = 'dispatch';

type Deps = Pick<RebuildDeps, 'store' | 'checkpoints'>;

/**
 * The checkpoint a generation that is not `live` is verified and topped up from: its rebuild's, or for a retired
 * first generation filled by dispatch, one complete up to position 0 (with the rules it recorded, if any).
 * Undefined when neither: no such generation, or one no rebuild wrote.
 */
export async function generationCheckpoint(deps: Pick<RebuildDeps, 'store'>, name: string, generation: number, live: number): Promise<RebuildCheckpoint | undefined> {
  const checkpoint = await readCheckpoint(deps, name, generation);
  if (checkpoint || generation !== FIRST_GENERATION || generation === live) return checkpoint;
  if (deps.store.listGenerations && !(await deps.store.listGenerations(name)).includes(generation)) return undefined;
  // Only the rules the first generation recorded before its first fold (first-generation-rules.ts), if any.
  const recorded = ((await deps.store.getCheckpoint(name, generation)) ?? {}) as RecordedRules;
  return {
    planKey: DISPATCH_FILLED_PLAN, snapshotId: null, baseMark: 0, until: null, replayedThrough: 0, passTo: 0, cursorTs: null, cursorId: null,
    applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'promoted',
    ...(typeof recorded.rulesFingerprint === 'string' ? { rulesFingerprint: recorded.rulesFingerprint } : {}),
    ...(typeof recorded.rulesForm === 'string' ? { rulesForm: recorded.rulesForm } : {}),
    ...(typeof recorded.ruleDigests === 'object' && recorded.ruleDigests !== null ? { ruleDigests: recorded.ruleDigests } : {}),
    ...(Array.isArray(recorded.rulesTypes) ? { rulesTypes: recorded.rulesTypes } : {}),
  };
}

/**
 * The checkpoint of a generation that verifications could make live, checked before verifying (a verification may
 * read the whole log). Throws `InvalidArgumentError` for the live generation, one that does not exist (naming those
 * that do), one no rebuild wrote, an unfinished rebuild, an --until view or one rebuilt under another projection
 * version; `GenerationRulesChangedError` for one built with other rules than `running`.
 */
export async function promotableCheckpoint(deps: Deps, projection: Projection, generation: number, running: RulesFingerprint): Promise<RebuildCheckpoint> {
  const name = projection.name;
  const live = await deps.store.liveGeneration(name);
  if (generation === live) throw new InvalidArgumentError('generation', `${name} generation ${generation} is the live one already: nothing to promote`);
  const checkpoint = await generationCheckpoint(deps, name, generation, live);
  if (!checkpoint) throw await notPromotable(deps, name, generation, live);
  const state = rebuildState(checkpoint);
  if (state === 'unfinished') throw new UnfinishedGenerationError(name, generation, checkpoint);
  assertPromotable(projection, generation, checkpoint, running);
  // A rebuild older than the 'finished' mark left it 'replaying' (rebuildState): the promotion's top-up, which keeps
  // the phase it is given, must not leave it looking unfinished, for the next rebuild to drop, if it is killed.
  return state === 'finished' ? { ...checkpoint, phase: 'finished' } : checkpoint;
}

/** The commands that finish or free an unfinished generation, spelled by a caller that knows its options (the CLI). */
export interface UnfinishedFixes {
  /** The rebuild that resumes it; undefined when none can (its snapshot gone, another plan's options). */
  readonly rerun?: string;
  readonly drop: string;
}

/**
 * A generation whose rebuild has not reached its plan's mark (interrupted, or still running): it lacks events, so it is
 * never promoted. INVALID_ARGUMENT naming `generation`; it carries the projection, the generation and its checkpoint
 * (none while its snapshot is restored) so that a CLI can spell the commands that fix it (`withFixes`).
 */
export class UnfinishedGenerationError extends InvalidArgumentError {
  constructor(readonly projection: string, readonly generation: number, readonly checkpoint?: RebuildCheckpoint, fixes?: UnfinishedFixes) {
    super('generation', `${projection} generation ${generation} ` + (checkpoint
      ? `is an unfinished rebuild (interrupted, or still running, at position ${checkpoint.replayedThrough}, before its plan's mark): it lacks events, so it is never promoted. `
      : 'is a rebuild that has not restored its snapshot yet (still running, or interrupted): it holds nothing to promote. ') + fixText(projection, generation, checkpoint, fixes));
  }

  /** This error ending with the exact commands to run. */
  withFixes(fixes: UnfinishedFixes): UnfinishedGenerationError {
    return new UnfinishedGenerationError(this.projection, this.generation, this.checkpoint, fixes);
  }
}

function fixText(projection: string, generation: number, checkpoint: RebuildCheckpoint | undefined, fixes: UnfinishedFixes | undefined): string {
  if (fixes) return fixes.rerun === undefined ? `No rebuild can resume it (its snapshot is gone or no longer restorable, or the projection's rules changed since): drop it (${fixes.drop})` : `Run the rebuild that started it again (${fixes.rerun}): it resumes and finishes it; or drop it (${fixes.drop})`;
  const from = checkpoint === undefined ? '' : checkpoint.snapshotId === null ? ', from an empty projection' : `, from snapshot ${checkpoint.snapshotId}`;
  const until = checkpoint?.until == null ? '' : `, until ${new Date(checkpoint.until).toISOString()}`;
  return `Run the rebuild that started it again (projection ${projection}${from}${until}): it resumes and finishes it; or drop it (eventlake generations drop ${generation} --projection ${projection})`;
}

/** Why a generation without a checkpoint to promote from is refused, and what to do instead. */
async function notPromotable(deps: Deps, name: string, generation: number, live: number): Promise<InvalidArgumentError> {
  const others = await otherGenerations(deps, name);
  const found = others?.find((g) => g.generation === generation);
  if (others && !found) {
    const existing = [{ generation: live, state: 'live' }, ...others].sort((a, b) => a.generation - b.generation).map((g) => `${g.generation} (${g.state})`);
    return new NotPromotableError(name, generation, { kind: 'missing', existing });
  }
  if (found?.state === 'unfinished') return new UnfinishedGenerationError(name, generation);
  return new NotPromotableError(name, generation, { kind: 'unwritten' });
}
