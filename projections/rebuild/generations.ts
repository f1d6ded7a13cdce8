// The generations of a projection beside its live one, as an operator sees them (`eventlake generations`, `eventlake
// status`), and the one way to drop one: explicitly, under the rebuild lease.
//
// Why explicit: a rebuild kept unpromoted (--no-promote, --until) is someone's to verify or promote later, so no
// rebuild drops it behind their back (start-generation.ts); it stays, holding storage (on AWS a DynamoDB table), until
// an operator drops it here.

import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { LiveGenerationDropError } from '../../domain/projection-errors.ts';
import type { RebuildDeps } from './deps.ts';
import { UnknownGenerationError } from './generation-errors.ts';
import { rebuildCheckpointName } from './promote.ts';
import { takeRebuildLease } from './rebuild-lease.ts';
import { readCheckpoint, type RebuildCheckpoint } from './replay.ts';
import { compareRules, describeRules, type RecordedRules, type RulesFingerprint, type RulesMatch } from './rules-fingerprint.ts';

/**
 * - `finished`: a rebuild reached its plan's mark and was not promoted (kept): verify or promote it, or drop it;
 * - `unfinished`: a rebuild still running or interrupted: the next rebuild of its plan resumes it, another drops it;
 * - `retired`: it was live once and a promotion replaced it;
 * - `unknown`: no rebuild wrote it (a verification's scratch copy a crash left behind, say).
 */
export type GenerationState = 'finished' | 'unfinished' | 'retired' | 'unknown';

/** A generation that is not live. */
export interface OtherGeneration {
  readonly generation: number;
  readonly state: GenerationState;
  /** What its rebuild started from (null: an empty projection), when a rebuild wrote it. */
  readonly snapshotId?: string | null;
  /** Its rebuild's event-time bound, epoch ms (a historical view, never promoted), when it has one. */
  readonly until?: number;
  /** Every event up to this position is in it, when a rebuild wrote it. */
  readonly replayedThrough?: number;
  /** The rules that built it (`describeRules`: a fingerprint, or `unknown`), when asked with the running ones. */
  readonly rules?: string;
  /** Whether those are the running code's rules, when asked with them. */
  readonly rulesMatch?: RulesMatch;
}

/** The rules that built a projection's live generation, against the running code's. */
export interface LiveRules {
  readonly generation: number;
  /** The running code's fingerprint. */
  readonly running: string;
  /** The live generation's (`describeRules`: `unknown` when none were recorded, as by a lake older than records). */
  readonly live: string;
  readonly match: RulesMatch;
}

type Deps = Pick<RebuildDeps, 'store' | 'checkpoints'>;

/**
 * What a rebuild's checkpoint says its generation is: `finished` once the rebuild reached its plan's mark, `retired`
 * once it was promoted, else `unfinished`. Listing, promoting and the next rebuild all ask here, so they agree.
 *
 * Why not the phase alone: before rebuilds marked a generation 'finished' at their plan's mark (26 Nov 2026), one kept
 * unpromoted (--no-promote, --until) stayed 'replaying' with its replay done. A 'replaying' checkpoint with no pass in
 * progress (replayedThrough = passTo) holds every event up to replayedThrough, so it is finished. Such checkpoints
 * predate rules fingerprints, so only one without a fingerprint is read so: a current rebuild killed between its last
 * replay write and its 'finished' one stays unfinished, and the same rebuild resumes it (treating it as finished made a
 * killed rebuild's next run build beside it instead of resuming it). An old one killed mid-pass stays unfinished.
 *
 * Why an old one still at its start (replayedThrough = baseMark) is finished too: a plan with nothing to replay (a
 * snapshot at the last position) ran no pass, so its rebuild wrote no checkpoint after the one it started with. An old
 * rebuild killed before its first pass left the same one, and nothing stored tells them apart; finished is the safe
 * reading for both: it holds every event up to replayedThrough, a promotion tops it up from there, and only an
 * operator drops it, where unfinished let a rebuild of another plan drop a generation someone kept.
 *
 * @example
 * rebuildState({ ...checkpoint, phase: 'replaying', baseMark: 0, replayedThrough: 350, passTo: 350 }); // 'finished'
 */
export function rebuildState(cp: RebuildCheckpoint): Exclude<GenerationState, 'unknown'> {
  if (cp.phase === 'promoted') return 'retired';
  if (cp.phase === 'finished') return 'finished';
  // Only a checkpoint older than rules fingerprints (26 Nov 2026, after 'finished' was introduced) can be a finished
  // generation still marked replaying; a current rebuild's one is unfinished until marked (a killed one resumes).
  const old = cp.rulesFingerprint === undefined;
  return old && cp.replayedThrough >= cp.passTo ? 'finished' : 'unfinished';
}

/**
 * The projection's generations other than the live one, ascending; undefined when the store cannot list generations
 * (`ProjectionStore.listGenerations` is optional). With `running` (the running code's rules), each says which rules
 * built it and whether they are those.
 *
 * @example
 * await otherGenerations(runtime, 'balances'); // [{ generation: 5, state: 'finished', snapshotId: null, replayedThrough: 1200 }]
 */
export async function otherGenerations(deps: Deps, projection: string, running?: RulesFingerprint): Promise<OtherGeneration[] | undefined> {
  if (!deps.store.listGenerations) return undefined;
  const [all, live, pending] = await Promise.all([
    deps.store.listGenerations(projection), deps.store.liveGeneration(projection), deps.checkpoints?.get(rebuildCheckpointName(projection)),
  ]);
  const out: OtherGeneration[] = [];
  for (const generation of all.filter((g) => g !== live)) {
    const cp = await readCheckpoint(deps, projection, generation);
    // A retired first generation has no rebuild's checkpoint, but may have recorded its rules (first-generation-rules.ts).
    const recorded = cp ?? (running ? await recordedRules(deps, projection, generation) : undefined);
    const rules = running ? { rules: describeRules(recorded, running), rulesMatch: compareRules(recorded, running) } : {};
    if (!cp) {
      // The rebuild in progress has no checkpoint until its snapshot is restored; generation 1 is the first live one.
      out.push({ generation, state: generation === pending ? 'unfinished' : generation === 1 ? 'retired' : 'unknown', ...rules });
      continue;
    }
    const state = rebuildState(cp);
    out.push({ generation, state, snapshotId: cp.snapshotId, ...(cp.until !== null ? { until: cp.until } : {}), replayedThrough: cp.replayedThrough, ...rules });
  }
  return out;
}

/**
 * Which rules built the live generation, against `running`: those its rebuild recorded, or for a first generation those
 * of the process that folded the lake's first events (first-generation-rules.ts); `unknown` when none were recorded.
 */
export async function liveRules(deps: Pick<RebuildDeps, 'store'>, projection: string, running: RulesFingerprint): Promise<LiveRules> {
  const generation = await deps.store.liveGeneration(projection);
  const recorded = await recordedRules(deps, projection, generation);
  return { generation, running: running.fingerprint, live: describeRules(recorded, running), match: compareRules(recorded, running) };
}

/** What a generation's checkpoint recorded of its rules, whether a rebuild's or a first generation's record. */
async function recordedRules(deps: Pick<RebuildDeps, 'store'>, projection: string, generation: number): Promise<RecordedRules | undefined> {
  // compareRules and describeRules check the fields' types: a checkpoint without them reads as unknown.
  return (await deps.store.getCheckpoint(projection, generation)) as RecordedRules | undefined;
}

/**
 * What to tell an operator whose live generation was built with other rules; undefined when it was not (or is unknown).
 * Its rebuild command is spelled by `spell` (the CLI's adds the global options given).
 */
export function liveRulesWarning(projection: string, rules: LiveRules, spell: SpellCommand = bareCommand): string | undefined {
  if (rules.match !== 'other') return undefined;
  return `${projection} live generation ${rules.generation} was built with other rules (${rules.live}) than the running code's (${rules.running}): ` +
    `rebuild to apply them to past events (${spell('rebuild', '--projection', projection, '--from', '0')}); new events are folded with the running ones meanwhile`;
}

/** What `dropOtherGeneration` dropped. */
export interface DroppedGeneration {
  readonly projection: string;
  readonly generation: number;
  /** What it was (undefined when the store cannot list generations). */
  readonly state?: GenerationState;
}

/**
 * Drop a generation that is not live, and its data (its SQLite rows, its DynamoDB table). Takes the projection's
 * rebuild lease, so it never races a rebuild, verification or promotion: throws `RebuildInProgressError` while one
 * runs. Throws `LiveGenerationDropError` for the live generation and `UnknownGenerationError` (INVALID_ARGUMENT) for one that does not exist.
 */
export async function dropOtherGeneration(deps: Deps & Pick<RebuildDeps, 'leaseClock' | 'leaseTtlMs' | 'sleep'>, projection: string, generation: number): Promise<DroppedGeneration> {
  const lease = await takeRebuildLease(deps, projection);
  try {
    if (generation === (await deps.store.liveGeneration(projection))) throw new LiveGenerationDropError(projection, generation);
    const others = await otherGenerations(deps, projection);
    const found = others?.find((g) => g.generation === generation);
    if (others && !found) {
      throw new UnknownGenerationError(projection, generation);
    }
    // One long call on AWS (a table deleted and waited for): the lease renews on a timer meanwhile.
    await lease.during(() => deps.store.dropGeneration(projection, generation));
    // The next rebuild must not resume (or drop again) what is gone.
    if ((await deps.checkpoints?.get(rebuildCheckpointName(projection))) === generation) await deps.checkpoints?.set(rebuildCheckpointName(projection), 0);
    return { projection, generation, ...(found ? { state: found.state } : {}) };
  } finally {
    await lease.release();
  }
}
