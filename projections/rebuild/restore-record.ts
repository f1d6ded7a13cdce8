// What a rebuild keeps in its generation's checkpoint about the restores it requested, so the invocation that
// finishes it reports them all. Why: the rebuild function answers `restoring` when restores outlast its invocation,
// and the next invocation resumes; a restore the earlier one asked for and that finished meanwhile then reads as
// readable, and reports built from what each invocation saw alone counted it as "already readable", never requested.
//
// Counts only, never keys: a rebuild over a year restores thousands of objects, and the checkpoint is one DynamoDB
// item (at most 400 KB). A rehydration that runs again is told apart from a new one by what it rehydrates: the
// replay's pass by the position it starts after, the verification by its reference.

import type { RehydrateReport } from './rehydrate.ts';
import { mergeRehydrateReports, NO_REHYDRATION, resumeRehydration } from './rehydrate.ts';
import type { VerifyAgainst } from './verify.ts';

/** The replay's restores, by every invocation of the rebuild; in its checkpoint as `replayRestores`. */
export interface ReplayRestoreRecord {
  /** The passes before the one rehydrated last. */
  readonly before: RehydrateReport;
  /** Where the pass rehydrated last starts: every event after this position (`replayedThrough` as it began). */
  readonly passAfter: number;
  /** That pass's restores, by every invocation that rehydrated it. */
  readonly pass: RehydrateReport;
}

/** The restores of verifications that gave up before they finished, per reference; in its checkpoint as `verifyRestores`. */
export type VerifyRestoreRecord = Readonly<Partial<Record<VerifyAgainst, RehydrateReport>>>;

/** What a checkpoint keeps of its rebuild's restores (absent from checkpoints written before they were kept). */
export interface RestoreRecords {
  readonly replayRestores?: ReplayRestoreRecord;
  /** A reference's entry is cleared when its verification finishes: a later one reports what it restored itself. */
  readonly verifyRestores?: VerifyRestoreRecord;
}

/** The replay's restores so far, by every invocation (none recorded: nothing, as for a rebuild that restored nothing). */
export function replayRestored(records: RestoreRecords): RehydrateReport {
  const r = records.replayRestores;
  return r ? mergeRehydrateReports(r.before, r.pass) : NO_REHYDRATION;
}

/**
 * The record once this invocation's rehydration of the pass starting after `passAfter` reported `soFar`, given the
 * record `start` as the pass began: the same pass again (an earlier invocation gave up on it, or was cut short in it)
 * resumes its report; another pass follows the passes before it.
 */
export function recordPass(start: ReplayRestoreRecord | undefined, passAfter: number, soFar: RehydrateReport): ReplayRestoreRecord {
  if (!start) return { before: NO_REHYDRATION, passAfter, pass: soFar };
  if (start.passAfter === passAfter) return { before: start.before, passAfter, pass: resumeRehydration(start.pass, soFar) };
  return { before: mergeRehydrateReports(start.before, start.pass), passAfter, pass: soFar };
}

/**
 * The record once an attempt to verify against `against` reported `soFar`, given the record `start` as it began: an
 * earlier attempt against the same reference that gave up is resumed.
 */
export function recordVerification(start: VerifyRestoreRecord | undefined, against: VerifyAgainst, soFar: RehydrateReport): VerifyRestoreRecord {
  const earlier = start?.[against];
  return { ...start, [against]: earlier ? resumeRehydration(earlier, soFar) : soFar };
}

/** The record once the verification against `against` finished (undefined: nothing left to resume). */
export function verificationFinished(start: VerifyRestoreRecord | undefined, against: VerifyAgainst): VerifyRestoreRecord | undefined {
  const { [against]: _done, ...rest } = start ?? {};
  return Object.keys(rest).length > 0 ? rest : undefined;
}
