// Promotion: switch reads to a rebuilt generation — only with passing verifications, and without losing the events
// that arrived while the rebuild ran.
//
// Timeline of the gap this closes: the rebuild replays up to its plan's mark; meanwhile the dispatcher keeps
// delivering new events to the old live generation. So: top the new generation up to everything indexed, promote it,
// then top it up once more for events the dispatcher delivered to the old generation between the two steps.
// Overlap is harmless (idempotency keys).

import { InvalidArgumentError } from '../../domain/errors.ts';
import { ReplayVerificationError } from '../../domain/projection-errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { NotPromotableError } from './generation-errors.ts';
import type { RebuildCheckpoint, ReplayOptions } from './replay.ts';
import { planVersion, replayTo, toJson } from './replay.ts';
import { compareRules, GenerationRulesChangedError, type RulesFingerprint } from './rules-fingerprint.ts';
import type { VerifyReport } from './verify.ts';

/** The CheckpointStore name that remembers a projection's unfinished rebuild generation (0 = none). */
export function rebuildCheckpointName(projection: string): string {
  return `rebuild:${projection}`;
}

export interface PromoteInput {
  readonly projection: Projection;
  readonly generation: number;
  readonly checkpoint: RebuildCheckpoint;
  /** Verifications of this generation; every one must have passed, and there must be at least one. */
  readonly verifications: readonly VerifyReport[];
  readonly replay: Omit<ReplayOptions, 'projection' | 'generation'>;
  /** The running code's rules: a generation built with others is refused (`GenerationRulesChangedError`). */
  readonly rules?: RulesFingerprint;
}

export interface PromoteReport {
  readonly projection: string;
  readonly generation: number;
  readonly previous: number;
  /** Events applied by the top-ups (arrived during the rebuild). */
  readonly toppedUp: number;
}

/**
 * Throw `InvalidArgumentError` when no verification could make this rebuilt generation promotable: an --until view,
 * or one rebuilt under another projection version; `GenerationRulesChangedError` for one built with other rules than
 * `running` (one that recorded none is never refused for it). Callers check it before verifying, which may read the
 * whole log.
 */
export function assertPromotable(projection: Projection, generation: number, checkpoint: RebuildCheckpoint, running?: RulesFingerprint): void {
  const name = projection.name;
  if (checkpoint.until !== null) {
    throw new InvalidArgumentError('until', `generation ${generation} is a historical view (rebuilt --until ${new Date(checkpoint.until).toISOString()}); it is never promoted`);
  }
  // Its state was decided by the rules of the version it was rebuilt under; references as old verify it all the same.
  const built = planVersion(checkpoint.planKey);
  if (built !== undefined && built !== projection.version) {
    throw new NotPromotableError(name, generation, { kind: 'other-version', built, current: projection.version });
  }
  // A reference folded with the running rules may still agree (a change that decides nothing differently), but the
  // generation would be listed as built with rules nobody runs; it is rebuilt instead.
  if (running && compareRules(checkpoint, running) === 'other') {
    throw new GenerationRulesChangedError(name, generation, checkpoint.rulesFingerprint!, running.fingerprint, 'promoted');
  }
}

/**
 * Promote a verified generation. Throws `ReplayVerificationError` if any verification failed,
 * `InvalidArgumentError` for an --until view or a generation rebuilt under another projection version, and
 * `GenerationRulesChangedError` for one built with other rules than `input.rules`.
 */
export async function promoteVerified(deps: Pick<RebuildDeps, 'index' | 'store' | 'checkpoints'>, input: PromoteInput): Promise<PromoteReport> {
  const name = input.projection.name;
  assertPromotable(input.projection, input.generation, input.checkpoint, input.rules);
  if (input.verifications.length === 0) throw new InvalidArgumentError('verifications', 'promote needs at least one passing verification');
  const wrong = input.verifications.filter((v) => v.generation !== input.generation || v.projection !== name);
  if (wrong.length > 0) throw new InvalidArgumentError('verifications', `they verify ${wrong[0]!.projection} generation ${wrong[0]!.generation}, not ${name} generation ${input.generation}`);
  const failed = input.verifications.flatMap((v) => v.differences);
  if (input.verifications.some((v) => !v.passed)) throw new ReplayVerificationError(name, failed);
  const previous = await deps.store.liveGeneration(name);
  const options = { ...input.replay, projection: input.projection, generation: input.generation };
  let cp = await replayTo(deps, input.checkpoint, await deps.index.lastPosition(), options);
  await deps.store.promote(name, input.generation);
  cp = await replayTo(deps, cp, await deps.index.lastPosition(), options);
  await deps.store.setCheckpoint(name, input.generation, toJson({ ...cp, phase: 'promoted' }));
  await deps.checkpoints?.set(rebuildCheckpointName(name), 0);
  return { projection: name, generation: input.generation, previous, toppedUp: cp.applied - input.checkpoint.applied };
}
