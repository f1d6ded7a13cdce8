// The errors of a snapshot a rebuild planned to start from (or a verification chose) that cannot be read any more:
// pruned after the plan, or no longer restorable (on AWS, DynamoDB's PITR history no longer covers it). Apart from
// start-generation.ts because the PITR adapter throws one of them and the CLI rewrites all of them: each says to run
// the same rebuild again, which the coordinator can only name in words and the CLI can spell (`withRerun`).

import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { InvalidArgumentError, TransientError } from '../../domain/errors.ts';

/** An error whose fix is to run the same rebuild again: `withRerun` is it ending with that exact command line. */
export interface RebuildToRunAgain {
  withRerun(rerun: string): Error;
}

/**
 * The snapshot a rebuild planned to start from is unusable by the time it holds its lease, so no generation was
 * created, and planning again fixes it. TRANSIENT, naming the projection and the snapshot.
 */
export abstract class PlannedSnapshotError extends TransientError implements RebuildToRunAgain {
  constructor(readonly projection: string, readonly snapshotId: string, what: string, replans: string, rerun: string | undefined) {
    super(`snapshot ${snapshotId} of ${projection}, the one at or before --from this rebuild planned to start from, ${what}; no generation was created: ` +
      (rerun === undefined ? `run the same eventlake rebuild command again, which ${replans}` : `run the same command again, which ${replans}: ${rerun}`));
  }

  abstract withRerun(rerun: string): PlannedSnapshotError;
}

const PLANNED = /^snapshot (\S+) of ([^\s,]+), the one at or before --from this rebuild planned to start from, /;

/** The plan's snapshot was removed after the plan (an `eventlake snapshot prune` between the plan and the lease). */
export class PlannedSnapshotRemovedError extends PlannedSnapshotError {
  /** `rerun`: the command line to run again, when the caller knows it (the CLI); otherwise it is named in words. */
  constructor(projection: string, snapshotId: string, readonly rerun?: string) {
    super(projection, snapshotId, 'was removed after the plan (an eventlake snapshot prune ran meanwhile)', 'plans from the snapshots there are now', rerun);
  }

  withRerun(rerun: string): PlannedSnapshotRemovedError {
    return new PlannedSnapshotRemovedError(this.projection, this.snapshotId, rerun);
  }

  /** This error as another process reported it (the rebuild function: Lambda's errorType and errorMessage), or undefined. */
  static fromReport(errorType: string, errorMessage: string): PlannedSnapshotRemovedError | undefined {
    const named = errorType === PlannedSnapshotRemovedError.name ? PLANNED.exec(errorMessage) : null;
    return named ? new PlannedSnapshotRemovedError(named[2]!, named[1]!) : undefined;
  }
}

/**
 * The plan's snapshot is still listed but can no longer be restored (`notRestorable` says why: on AWS its table was
 * dropped, PITR turned off, or PITR's retention passed, between the plan and the lease).
 */
export class PlannedSnapshotNotRestorableError extends PlannedSnapshotError {
  constructor(projection: string, snapshotId: string, readonly notRestorable: string, readonly rerun?: string) {
    super(projection, snapshotId, `can no longer be restored (${notRestorable})`,
      'plans from the newest snapshot that can still be restored, or from the start of the log when there is none', rerun);
  }

  withRerun(rerun: string): PlannedSnapshotNotRestorableError {
    return new PlannedSnapshotNotRestorableError(this.projection, this.snapshotId, this.notRestorable, rerun);
  }

  /** This error as the rebuild function reported it, or undefined. */
  static fromReport(errorType: string, errorMessage: string): PlannedSnapshotNotRestorableError | undefined {
    if (errorType !== PlannedSnapshotNotRestorableError.name) return undefined;
    const named = PLANNED.exec(errorMessage);
    const why = /, can no longer be restored \((.*)\); no generation was created/.exec(errorMessage);
    return named && why ? new PlannedSnapshotNotRestorableError(named[2]!, named[1]!, why[1]!) : undefined;
  }
}

/** How a fix of SnapshotNotRestorableError goes on after "the newest snapshot", `snapshot list` spelled by `spell`. */
const restorable = (spell: SpellCommand) => `DynamoDB can still restore (${spell('snapshot', 'list')} tells which are not restorable),`;

/** A way forward of SnapshotNotRestorableError, its commands spelled by the caller's `spell`. */
type Fix = (spell: SpellCommand) => string;

const RUN_AGAIN: Fix = (spell) => 'run the same eventlake rebuild command again: it plans from the newest snapshot DynamoDB can still restore, or from the start of the log ' +
  `when there is none (${spell('snapshot', 'list')} tells which are not restorable)`;

/** The generation a refused restore was to fill, which stays behind empty. */
export interface LeftGeneration {
  readonly projection: string;
  readonly generation: number;
}

/** What else a SnapshotNotRestorableError says: its way forward, how it spells commands, the generation left behind. */
export interface SnapshotRefusalOptions {
  readonly fix?: string | Fix;
  readonly spell?: SpellCommand;
  readonly left?: LeftGeneration;
}

/**
 * Why DynamoDB refused, by RestoreTableToPointInTime's error: PointInTimeRecoveryUnavailableException is documented as
 * "point in time recovery has not yet been enabled for this source table", so PITR is off there (turned off since the
 * marker, which loses its history), not a table gone or a retention passed.
 */
function reasonOf(refusal: string, source: string): string {
  if (refusal === 'PointInTimeRecoveryUnavailableException') {
    return `point-in-time recovery is off on ${source} (turned off since the snapshot was taken), so DynamoDB keeps no history to restore it from`;
  }
  return 'the table is gone or past its PITR retention';
}

/** What to do with the empty generation a refused restore leaves (`generations list` shows it unfinished). */
const leftNote = (left: LeftGeneration, spell: SpellCommand) => `generation ${left.generation} of ${left.projection}, created for this restore, stays empty ` +
  `(generations list shows it unfinished): the next rebuild of ${left.projection} drops and replaces it, or drop it now (${spell('generations', 'drop', String(left.generation), '--projection', left.projection)}); `;

const LEFT = /; generation (\d+) of (\S+), created for this restore, stays empty /;

/**
 * The snapshot store refused to restore a snapshot it listed as restorable: it stopped being so since (on AWS, the
 * table dropped, PITR turned off, or PITR's retention passed during a long wait; `refusal` is DynamoDB's error name).
 * INVALID_ARGUMENT naming `snapshot`. Worded for a rebuild, whose fix is a new plan (it skips the snapshot), unless
 * `fix` says otherwise; `left` names the generation the restore was to fill, left empty.
 */
export class SnapshotNotRestorableError extends InvalidArgumentError implements RebuildToRunAgain {
  private readonly fix: Fix;
  private readonly spell: SpellCommand;
  readonly left: LeftGeneration | undefined;

  constructor(readonly snapshotId: string, readonly source: string, readonly refusal: string, options: SnapshotRefusalOptions = {}) {
    const { fix, spell = bareCommand, left } = options;
    const fixOf: Fix = typeof fix === 'string' ? () => fix : fix ?? RUN_AGAIN;
    super('snapshot', `snapshot ${snapshotId} cannot be restored from ${source} (${refusal}): ${reasonOf(refusal, source)}; ` +
      `${left ? leftNote(left, spell) : ''}${fixOf(spell)}`);
    this.fix = fixOf;
    this.spell = spell;
    this.left = left;
  }

  withRerun(rerun: string): SnapshotNotRestorableError {
    const fix: Fix = (spell) => `run the same command again, which plans from the newest snapshot ${restorable(spell)} or from the start of the log when there is none: ${rerun}`;
    return new SnapshotNotRestorableError(this.snapshotId, this.source, this.refusal, { fix, spell: this.spell, ...(this.left ? { left: this.left } : {}) });
  }

  /**
   * This error in a verification's words: it reads another snapshot when run again, or verifies against the log. No
   * generation is left: the verification drops its scratch generation before it says this.
   */
  forVerification(): SnapshotNotRestorableError {
    return new SnapshotNotRestorableError(this.snapshotId, this.source, this.refusal, { fix: (spell) => `verify again, which reads the newest snapshot ${restorable(spell)} or verify against the log`, spell: this.spell });
  }

  /** The same error, `snapshot list` spelled by `spell` (the CLI adds the global options given). */
  spelledWith(spell: SpellCommand): SnapshotNotRestorableError {
    return new SnapshotNotRestorableError(this.snapshotId, this.source, this.refusal, { fix: this.fix, spell, ...(this.left ? { left: this.left } : {}) });
  }

  /** This error as the rebuild function reported it, or undefined. */
  static fromReport(errorType: string, errorMessage: string): SnapshotNotRestorableError | undefined {
    const named = errorType === SnapshotNotRestorableError.name ? /^snapshot: snapshot (\S+) cannot be restored from (\S+) \(([^)]+)\)/.exec(errorMessage) : null;
    if (!named) return undefined;
    const left = LEFT.exec(errorMessage);
    return new SnapshotNotRestorableError(named[1]!, named[2]!, named[3]!, left ? { left: { generation: Number(left[1]), projection: left[2]! } } : {});
  }
}

/**
 * A rebuild's verification against the snapshot it started from (`snapshotId`), which is gone by then: removed after
 * the rebuild, before its verification took the lease (a prune in between), or no longer restorable. The generation is
 * finished; `next` says what to do with it (default: verify it against another reference). INVALID_ARGUMENT naming
 * `argument` (`against`, or the CLI's `--against`).
 */
export class RebuildSnapshotGoneError extends InvalidArgumentError {
  constructor(
    readonly projection: string, readonly generation: number, readonly snapshotId: string, readonly notRestorable?: string,
    options: { next?: string; argument?: string } = {},
  ) {
    super(options.argument ?? 'against', `snapshot ${snapshotId} of ${projection}, the one generation ${generation} was rebuilt from, ` +
      (notRestorable === undefined ? 'was removed after the rebuild (an eventlake snapshot prune ran before its verification)' : `can no longer be restored (${notRestorable})`) +
      `, so it cannot be verified against: ${options.next ?? `verify generation ${generation} against the log instead`}`);
  }

  /** This error with `next` as its way forward, naming the option as the CLI spells it. */
  withNext(next: string, argument: string): RebuildSnapshotGoneError {
    return new RebuildSnapshotGoneError(this.projection, this.generation, this.snapshotId, this.notRestorable, { next, argument });
  }
}

/** `error` when its fix is to run the same rebuild again, thrown here or reported by the rebuild function; else undefined. */
export function rebuildToRunAgain(error: unknown, report?: { errorType: string; errorMessage: string }): RebuildToRunAgain | undefined {
  if (error instanceof PlannedSnapshotError || error instanceof SnapshotNotRestorableError) return error;
  if (!report) return undefined;
  const { errorType: type, errorMessage: message } = report;
  return PlannedSnapshotRemovedError.fromReport(type, message) ?? PlannedSnapshotNotRestorableError.fromReport(type, message) ??
    SnapshotNotRestorableError.fromReport(type, message);
}
