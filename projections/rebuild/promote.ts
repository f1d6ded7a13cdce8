// Promotion: switch reads to a rebuilt generation — only with passing verifications, and without losing the events
// that arrived while the rebuild ran.
//
// Timeline of the gap this closes: the rebuild replays up to its plan's mark; meanwhile the dispatcher keeps
// delivering new events to the old live generation. So: top the new generation up to everything settled
// (settled-mark.ts), promote it, then top it up once more for events the dispatcher delivered to the old generation
// between the two steps. Overlap is harmless (idempotency keys).
//
// Where writers commit out of position order (AWS: `index.settleMs`), an entry committed just before the switch went
// to the old generation but may not be settled yet: the second top-up waits `settleMs` after the switch (renewing the
// lease), so it reaches every such entry. Events committed after the switch reach the new generation through dispatch.
//
// A rule that throws in a top-up stops the promotion where it is, as it stops a replay. Before the switch nothing is
// switched. After it, the generation serves reads without events that reached only the one it replaced, and dispatch
// will not deliver those again: its checkpoint stays short of 'promoted', so the same command finishes the top-up,
// with the running rules as dispatch folds new events (a rule fixed by changing its text does not stop it).

import { InvalidArgumentError } from '../../domain/errors.ts';
import { ProjectionRuleError, ReplayVerificationError, type RuleFailureContext } from '../../domain/projection-errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { NotPromotableError } from './generation-errors.ts';
import type { RebuildCheckpoint, ReplayOptions } from './replay.ts';
import { planVersion, readCheckpoint, replayTo, toJson } from './replay.ts';
import { compareRules, GenerationRulesChangedError, type RulesFingerprint } from './rules-fingerprint.ts';
import { settledMark, waitForSettled } from './settled-mark.ts';
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
  /** How to wait out `index.settleMs` after the switch (the coordinator's lease-renewing sleep; default `deps.sleep`). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface PromoteReport {
  readonly projection: string;
  readonly generation: number;
  readonly previous: number;
  /** Events applied by the top-ups (arrived during the rebuild). */
  readonly toppedUp: number;
  /** True when this finished a promotion cut short after its switch (`finishPromotion`). */
  readonly resumed?: boolean;
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
export async function promoteVerified(deps: Pick<RebuildDeps, 'index' | 'store' | 'checkpoints' | 'sleep'>, input: PromoteInput): Promise<PromoteReport> {
  const name = input.projection.name;
  assertPromotable(input.projection, input.generation, input.checkpoint, input.rules);
  if (input.verifications.length === 0) throw new InvalidArgumentError('verifications', 'promote needs at least one passing verification');
  const wrong = input.verifications.filter((v) => v.generation !== input.generation || v.projection !== name);
  if (wrong.length > 0) throw new InvalidArgumentError('verifications', `they verify ${wrong[0]!.projection} generation ${wrong[0]!.generation}, not ${name} generation ${input.generation}`);
  const failed = input.verifications.flatMap((v) => v.differences);
  if (input.verifications.some((v) => !v.passed)) throw new ReplayVerificationError(name, failed);
  const previous = await deps.store.liveGeneration(name);
  const options = { ...input.replay, projection: input.projection, generation: input.generation };
  const cp = await topUp(deps, input.checkpoint, options, beforeSwitch(input.generation, previous));
  await deps.store.promote(name, input.generation);
  // What marks a promotion cut short after the switch (`promotionCutShort`): a live generation whose checkpoint is not
  // 'promoted'. A rollback's checkpoint said 'promoted' already, from its first promotion.
  const marked = cp.phase === 'promoted' ? { ...cp, phase: 'finished' as const } : cp;
  if (marked !== cp) await deps.store.setCheckpoint(name, input.generation, toJson(marked));
  const done = await complete(deps, marked, options, { clearAlways: true, sleep: input.sleep ?? deps.sleep });
  return { projection: name, generation: input.generation, previous, toppedUp: done.applied - input.checkpoint.applied };
}

/**
 * Whether `generation`, live, had its promotion cut short after the switch: a rule threw in the top-up that follows it
 * (or the process was killed there), so it may lack events dispatch delivered to the generation it replaced meanwhile.
 */
export async function promotionCutShort(deps: Pick<RebuildDeps, 'store'>, name: string, generation: number): Promise<boolean> {
  const cp = await readCheckpoint(deps, name, generation);
  return cp !== undefined && cp.phase !== 'promoted' && (await deps.store.liveGeneration(name)) === generation;
}

/**
 * Finish the promotion of the live generation if it was cut short after its switch (`promotionCutShort`): top it up
 * from its checkpoint to everything settled (after `index.settleMs`, as a promotion does) and mark it promoted. Answers
 * as done (`resumed` unset, nothing topped up) when it was not. Throws `ProjectionRuleError` when the rule still throws.
 * Callers hold the projection's rebuild lease.
 */
export async function finishPromotion(deps: Pick<RebuildDeps, 'index' | 'store' | 'checkpoints' | 'sleep'>, input: Pick<PromoteInput, 'projection' | 'replay' | 'sleep'>): Promise<PromoteReport> {
  const name = input.projection.name;
  const generation = await deps.store.liveGeneration(name);
  const report = { projection: name, generation, previous: generation };
  if (!(await promotionCutShort(deps, name, generation))) return { ...report, toppedUp: 0 };
  const start = (await readCheckpoint(deps, name, generation))!;
  const done = await complete(deps, start, { ...input.replay, projection: input.projection, generation }, { clearAlways: false, sleep: input.sleep ?? deps.sleep });
  return { ...report, toppedUp: done.applied - start.applied, resumed: true };
}

/** How a promotion completes: `clearAlways` (see `complete`), and how it waits for what the switch left unsettled. */
interface Completion {
  readonly clearAlways: boolean;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
}

/**
 * The top-up after the switch (once entries committed before it are settled), then the 'promoted' mark.
 * `clearAlways`: the projection's rebuild pointer is cleared as promotions always did; a promotion finished later
 * clears it only if it still names this generation (a rebuild started since may have moved it on).
 */
async function complete(deps: Pick<RebuildDeps, 'index' | 'store' | 'checkpoints'>, start: RebuildCheckpoint, options: ReplayOptions, { clearAlways, sleep }: Completion): Promise<RebuildCheckpoint> {
  const name = options.projection.name;
  await waitForSettled(deps.index, sleep);
  const cp = await topUp(deps, start, options, afterSwitch(options.generation));
  await deps.store.setCheckpoint(name, options.generation, toJson({ ...cp, phase: 'promoted' }));
  const pointer = rebuildCheckpointName(name);
  if (clearAlways || (await deps.checkpoints?.get(pointer)) === options.generation) await deps.checkpoints?.set(pointer, 0);
  return cp;
}

/** Replay what arrived since `start` up to the settled position; a rule's error says where and what to run. */
async function topUp(deps: Pick<RebuildDeps, 'index' | 'store'>, start: RebuildCheckpoint, options: ReplayOptions, context: RuleStopContext): Promise<RebuildCheckpoint> {
  try {
    return await replayTo(deps, start, await settledMark(deps.index), options);
  } catch (error) {
    throw error instanceof ProjectionRuleError ? error.within(context) : error;
  }
}

type RuleStopContext = Pick<RuleFailureContext, 'stopped' | 'rerun'>;

// As replay's rule stops (replay.ts): the batch was not checkpointed, so the same command continues from the checkpoint.
const beforeSwitch = (generation: number, live: number): RuleStopContext => ({
  stopped: `the promotion stopped there before switching reads: generation ${live} stays live, and generation ${generation} keeps its top-up at its last checkpoint (its lease is freed)`,
  rerun: `continues generation ${generation}'s top-up from that checkpoint and promotes it (a rule whose text changed makes it one built with other rules: rebuild instead)`,
});

const afterSwitch = (generation: number): RuleStopContext => ({
  stopped: `the promotion stopped there after switching reads to generation ${generation}, which lacks the events from there on that reached the generation it replaced meanwhile; it keeps its top-up at its last checkpoint (its lease is freed), and dispatch delivers new events to it`,
  rerun: `finishes generation ${generation}'s top-up from that checkpoint`,
});
