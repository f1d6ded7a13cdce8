// Why events naming an account are in no projection yet because dispatch has not delivered them (a backlog, a
// read-only open, a stall on a full or failing disk), in the words `balance` and `statement` explain an account with.

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { FollowUp } from './follow-up.ts';

type Lake = Pick<LocalEventlake, 'dispatchedPosition' | 'dispatchStall'> & {
  /**
   * Set by a caller that hands a copy of the runtime (statement's `withRowsAsMoves`): a read-only open is known by the
   * runtime's identity, which a copy lacks (`readOnlyOpen`).
   */
  readonly readOnly?: boolean;
};

/** Whether `local` was opened read-only (so it dispatches nothing); ask it of the runtime itself, not a copy. */
export async function readOnlyOpen(local: object): Promise<boolean> {
  // Imported only here, as data-dir-guard.ts does: a writable open, the usual case, never needs it.
  const { writeRefusal } = await import('../adapters/local/open-read-only.ts');
  return writeRefusal(local, 'dispatching events') !== undefined;
}

/** The entries dispatch has not delivered (past the dispatch checkpoint), and where the checkpoint is. */
export interface Undispatched {
  readonly position: number;
  readonly entries: readonly IndexEntry[];
}

/** Those of `entries` past the dispatch checkpoint: no projection has seen them, whatever its rules. */
export async function undispatchedOf(local: Lake, entries: readonly IndexEntry[]): Promise<Undispatched> {
  const position = await local.dispatchedPosition();
  return { position, entries: entries.filter((e) => e.position > position) };
}

/**
 * Why the undispatched events naming an account moved nothing yet, and what ends it, as `status` shows it: the stall
 * (its error names the fix; dispatch resumes by itself after), a read-only open (it dispatches nothing), or a lag a
 * catch-up ends. Never a rebuild: a rebuild folds only what is dispatched, so it would change nothing.
 */
export async function undispatchedReason(local: Lake, late: Undispatched, command: FollowUp): Promise<string> {
  const n = late.entries.length;
  const head = `${n === 1 ? '1 event' : `${n} events`} naming it ${n === 1 ? 'is' : 'are'} not dispatched yet`;
  const them = n === 1 ? 'it' : 'them';
  const status = `\`${command('status')}\` shows it`;
  const stall = local.dispatchStall?.();
  if (stall) {
    return `${head}: dispatch is STALLED at position ${stall.position} (${stall.error.code}: ${stall.error.message}); ` +
      `once that is fixed the next catch-up (\`${command('run')}\`, or any emit or read) dispatches ${them}; ${status}`;
  }
  if (local.readOnly ?? await readOnlyOpen(local)) {
    return `${head} (dispatch is at position ${late.position}) and a read-only open dispatches nothing: a catch-up where the data dir ` +
      `can be written (\`${command('run')}\`, or any emit or read) dispatches ${them}; ${status}`;
  }
  return `${head} (dispatch is at position ${late.position}): \`${command('run')}\` or any emit or read catches up; ${status}`;
}
