// Errors of projections: a rebuild that does not verify, a rebuild or archive run refused while another holds its
// lease, the live generation refused as the one to drop, dispatch stopped at a stored event the registry refuses, and
// a projection's rule that threw on an event while a rebuild or a verification folded it.
// Callers branch on the class or its stable `code`.

import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError } from './errors.ts';

/** One account (or row, or idempotency record) that differs between a rebuilt projection and its reference. */
export interface StateDifference {
  readonly kind: 'counter' | 'row' | 'applied';
  readonly key: string;
  readonly expected: string | null;
  readonly actual: string | null;
}

/** A rebuilt projection does not match its reference; it is not promoted. */
export class ReplayVerificationError extends EventlakeError {
  readonly code = 'REPLAY_VERIFICATION_FAILED';
  constructor(readonly projection: string, readonly differences: readonly StateDifference[]) {
    super(`projection ${projection} differs from its reference in ${differences.length} place(s):\n` +
      differences.slice(0, 20).map((d) => `  ${d.kind} ${d.key}: expected ${d.expected ?? '(absent)'}, got ${d.actual ?? '(absent)'}`).join('\n'));
  }
}

/**
 * Another rebuild of the projection holds its lease (projections/rebuild/rebuild-lease.ts): two rebuilds of one
 * projection would drop or interleave each other's generation, so the second stops before touching anything. Also
 * thrown by a rebuild that stalled past its lease and found another one holding it (`lost`): that one continues.
 */
export class RebuildInProgressError extends EventlakeError {
  readonly code = 'REBUILD_IN_PROGRESS';
  constructor(readonly projection: string, readonly expiresAt: number, readonly ttlMs: number, readonly lost = false) {
    const until = new Date(expiresAt).toISOString();
    const minutes = Math.max(1, Math.round(ttlMs / 60_000));
    super(lost
      ? `projection ${projection}: this rebuild stalled for longer than its ${minutes}-minute lease and another rebuild took the projection over (its lease runs until ${until}); this one stops and leaves the generation to it`
      : `projection ${projection}: another rebuild of it is running (its lease runs until ${until}); wait for it to finish, then run the command again. ` +
        `On a local data dir a rebuild whose process has died is taken over at once; on AWS or from another host a crashed one holds the lease until it expires, at most ${minutes} minute(s) after its last progress; the next rebuild then resumes its generation`);
  }
}

/**
 * Dispatch cannot go past a stored event the registry refuses (an upcaster that fails on it, a stored schema edited
 * or removed since it was written). Retrying changes nothing until an operator fixes the schemas or upcasters, so the
 * drain stops at once, with every event before it dispatched, and the next drain after the fix resumes there.
 */
export class DispatchBlockedError extends EventlakeError {
  readonly code = 'DISPATCH_BLOCKED';
  constructor(readonly position: number, readonly eventId: string, readonly reason: EventlakeError) {
    super(`dispatch stopped at position ${position} (${eventId}): ${reason.code}: ${reason.message}; no event after it reaches a projection ` +
      'until the schemas or upcasters are fixed (stored events are never rewritten); the next emit, read or eventlake run resumes there', { cause: reason });
  }
}

/** What a caller that stopped on a rule's error adds to it: where the event is, what was kept, what a rerun does. */
export interface RuleFailureContext {
  /** The event's ingestion position, when the caller knows it. */
  readonly position?: number;
  /** What stopped and what was kept (default: the fold stopped there and changed nothing). */
  readonly stopped?: string;
  /** What running the same command again does once the rule is fixed, read after "which" (e.g. `continues generation 2`). */
  readonly rerun?: string;
  /** The exact command lines, when the caller knows them (the CLI): the command to run again, and `dlq list` / `dlq redrive`. */
  readonly spelled?: { readonly rerun: string; readonly dlqList: string; readonly dlqRedrive: string };
}

/**
 * A projection's rule (`handles`, `related`, `decide`, or the changes it returned) threw on an event while a rebuild
 * replayed it or a verification folded it. Why it stops them rather than skip the event as dispatch does (dispatch
 * dead-letters it, so one bad event never holds back the others): a rebuilt generation is promoted only once it
 * equals a fold of the whole log, and no such fold exists while a rule throws; skipping would promote a generation
 * missing the event, with no dead letter to redeliver it. `cause` is the rule's own error.
 */
export class ProjectionRuleError extends EventlakeError {
  readonly code = 'PROJECTION_RULE_FAILED';
  /** The rule's error as dispatch's dead letters show it: `Name: message`, on one line. */
  readonly ruleError: string;
  constructor(readonly projection: string, readonly eventId: string, readonly eventType: string, error: unknown, readonly context: RuleFailureContext = {}) {
    const ruleError = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s*\n\s*/g, ' ');
    const at = context.position === undefined ? '' : ` (position ${context.position})`;
    const { spelled } = context;
    super(`projection ${projection}: its rule for ${eventType} threw on event ${eventId}${at}: ${ruleError}; ${context.stopped ?? 'the fold stopped there and changed nothing'}. ` +
      'Fix the rule (in the --extensions module, or the code that defines the projection), then run the same command again' +
      `${context.rerun ? `, which ${context.rerun}` : ''}${spelled ? `: ${spelled.rerun}` : ''}. ` +
      `Dispatch dead-letters such an event instead: ${spelled?.dlqList ?? 'eventlake dlq list'} shows it if dispatch met it, ` +
      `and ${spelled?.dlqRedrive ?? 'eventlake dlq redrive'} delivers it once the rule is fixed`,
    { cause: error });
    this.ruleError = ruleError;
  }

  /** The same failure with what the caller that stopped on it knows (`context`) in place of what it had. */
  within(context: RuleFailureContext): ProjectionRuleError {
    return new ProjectionRuleError(this.projection, this.eventId, this.eventType, this.cause, { ...this.context, ...context });
  }
}

/**
 * Dropping the generation that serves a projection's reads is refused: its data would be gone with nothing to serve
 * instead. The generation to drop must first stop being live (promote another one).
 */
export class LiveGenerationDropError extends EventlakeError {
  readonly code = 'LIVE_GENERATION_NOT_DROPPED';
  constructor(readonly projection: string, readonly generation: number, spell: SpellCommand = bareCommand) {
    super(`generation: ${generation} is the live generation of ${projection} and serves its reads, so it is not dropped; ` +
      `promote another generation first (${spell('rebuild', '--projection', projection, '--from', 'T')}, T a time or 0, verifies and promotes one), then drop generation ${generation}`);
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): LiveGenerationDropError {
    return new LiveGenerationDropError(this.projection, this.generation, spell);
  }
}

/**
 * Another archive run (`eventlake archive run`, the scheduled compaction) holds the data dir's or stack's archive lease
 * (projections/archive-lease.ts): two runs at once could compact one hour twice, into segments holding the same events
 * for good, so the second stops before compacting anything. Also thrown by a run that stalled past its lease and found
 * another one holding it (`lost`): that one continues, and compaction being crash-safe, the hour left part way is its.
 */
export class ArchiveRunInProgressError extends EventlakeError {
  readonly code = 'ARCHIVE_RUN_IN_PROGRESS';
  constructor(readonly expiresAt: number, readonly ttlMs: number, readonly lost = false) {
    const until = new Date(expiresAt).toISOString();
    const minutes = Math.max(1, Math.round(ttlMs / 60_000));
    super(lost
      ? `archive:lease: this archive run stalled for longer than its ${minutes}-minute lease and another run took the lease over (until ${until}); this one stops, and the hours it left part way are completed by that run or the next`
      : `archive:lease: another archive run (eventlake archive run, or the scheduled compaction) holds the lease until ${until}; wait for it to finish, then run the command again. ` +
        `On a local data dir a run whose process has died is taken over at once; on AWS or from another host a crashed one holds the lease until it expires, at most ${minutes} minute(s) after its last progress; the next run then completes what it left`);
  }
}
