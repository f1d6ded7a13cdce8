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
import { otherGenerations } from './generations.ts';
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
  if (checkpoint.phase === 'replaying') {
    throw new InvalidArgumentError('generation', `${name} generation ${generation} is an unfinished rebuild (interrupted, or still running, at position ` +
      `${checkpoint.replayedThrough}, before its plan's mark): it lacks events, so it is never promoted. Run the rebuild that started it again ` +
      `(eventlake rebuild --projection ${name}, same --from or --snapshot): it resumes and finishes it; or drop it (eventlake generations drop ${generation} --projection ${name})`);
  }
  assertPromotable(projection, generation, checkpoint, running);
  return checkpoint;
}

/** Why a generation without a checkpoint to promote from is refused, and what to do instead. */
async function notPromotable(deps: Deps, name: string, generation: number, live: number): Promise<InvalidArgumentError> {
  const others = await otherGenerations(deps, name);
  const found = others?.find((g) => g.generation === generation);
  if (others && !found) {
    const existing = [{ generation: live, state: 'live' }, ...others].sort((a, b) => a.generation - b.generation).map((g) => `${g.generation} (${g.state})`);
    return new InvalidArgumentError('generation', `${name} has no generation ${generation}; it has ${existing.join(', ')} (eventlake generations list --projection ${name})`);
  }
  if (found?.state === 'unfinished') {
    return new InvalidArgumentError('generation', `${name} generation ${generation} is a rebuild that has not restored its snapshot yet (still running, or interrupted): ` +
      `it holds nothing to promote. Run the rebuild that started it again (it resumes it), or drop it (eventlake generations drop ${generation} --projection ${name})`);
  }
  return new InvalidArgumentError('generation', `${name} generation ${generation} was written by no rebuild (a verification's scratch copy left behind, say): ` +
    `nothing says what it holds, so it is never promoted; drop it (eventlake generations drop ${generation} --projection ${name})`);
}
