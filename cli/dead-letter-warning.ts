// The warning `balance ACCOUNT` and `statement ACCOUNT` write on stderr, and serve's balance and statement answers
// carry (http-dead-letters.ts), when a projection they read holds dead letters of events touching the account: its
// balance (or lines) leaves those events out, so the two may disagree.

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { UnsupportedOnTargetError } from '../domain/errors.ts';
import type { DeadLetter } from '../domain/ports/dead-letter-store.ts';
import { lastError } from './dead-letter-hint.ts';
import type { FollowUp } from './follow-up.ts';

type Lake = Pick<LocalEventlake, 'deadLetters' | 'index'>;

/** One projection's dead letters of the events a read is about: how many, and the newest error (`lastError`). */
export interface DeadLettered {
  readonly projection: string;
  readonly events: number;
  readonly lastError: string;
}

/**
 * Every dead letter of the store, in one read. None where this process cannot list them: on AWS they are SQS messages
 * (list throws UNSUPPORTED_ON_TARGET), and no warning beats failing the read of a balance that is there. Any other
 * failure is thrown: the caller decides whether it fails the read.
 */
export async function listedDeadLetters(local: Pick<Lake, 'deadLetters'>): Promise<DeadLetter[]> {
  return local.deadLetters.list().catch((error: unknown) => {
    if (error instanceof UnsupportedOnTargetError) return [];
    throw error;
  });
}

/**
 * Per projection of `projections` (in that order) holding some of `letters` whose events touch `account`, or any of
 * them when `account` is undefined (a read of every account). The index is asked only for the letters' own events,
 * once each, and not at all without an account: the warning must stay cheap on every read.
 *
 * @example
 * await deadLettered(local, await listedDeadLetters(local), 'BIG-0001', ['balances']);
 * // [{ projection: 'balances', events: 1, lastError: 'Error: rule broke' }]
 */
export async function deadLettered(local: Pick<Lake, 'index'>, letters: readonly DeadLetter[], account: string | undefined, projections: readonly string[]): Promise<DeadLettered[]> {
  const theirs = letters.filter((l) => projections.includes(l.target));
  const touches = new Map<string, boolean>();
  if (account !== undefined) {
    for (const id of new Set(theirs.map((l) => l.id))) touches.set(id, (await local.index.get(id))?.accounts.includes(account) ?? false);
  }
  const found: DeadLettered[] = [];
  for (const projection of projections) {
    const mine = theirs.filter((l) => l.target === projection && (account === undefined || touches.get(l.id)));
    if (mine.length > 0) found.push({ projection, events: mine.length, lastError: lastError(mine) });
  }
  return found;
}

/** The CLI's words for `d`: the count, the last error, that the projection leaves the events out, the `dlq list` to run. */
export function deadLetterWarning(d: DeadLettered, account: string, command: FollowUp): string {
  const one = d.events === 1;
  return `${one ? '1 event touching' : `${d.events} events touching`} ${account} ${one ? 'is' : 'are'} dead-lettered on ${d.projection} (last error: ${d.lastError}), ` +
    `so ${d.projection} leaves ${one ? 'it' : 'them'} out: \`${command('dlq', 'list', '--projection', d.projection)}\``;
}

/**
 * One warning per projection of `projections` holding dead letters of events that touch `account`: how many, the
 * last error, that the projection leaves them out, and the `dlq list --projection P` to run (with `command`'s global
 * options). One store read for every projection; a failure to read it other than UNSUPPORTED_ON_TARGET is thrown.
 *
 * @example
 * await deadLetterWarnings(local, 'BIG-0001', ['balances'], followUp(opts));
 * // ['100 events touching BIG-0001 are dead-lettered on balances (last error: …), so balances leaves them out: `eventlake dlq list --projection balances`']
 */
export async function deadLetterWarnings(local: Lake, account: string, projections: readonly string[], command: FollowUp): Promise<string[]> {
  const found = await deadLettered(local, await listedDeadLetters(local), account, projections);
  return found.map((d) => deadLetterWarning(d, account, command));
}

/**
 * `deadLetterWarnings` written to stderr, one `eventlake: warning:` line each. A store that cannot be read does not fail
 * the read (the balance or lines are there), as serve answers with DEAD_LETTERS_UNLISTED: one warning says so, with the
 * error (stderr is the operator's own, unlike an HTTP answer).
 */
export async function warnDeadLetters(local: Lake, account: string, projections: readonly string[], command: FollowUp): Promise<void> {
  let warnings: string[];
  try {
    warnings = await deadLetterWarnings(local, account, projections, command);
  } catch (error) {
    warnings = [unlistedWarning(error, command)];
  }
  for (const warning of warnings) process.stderr.write(`eventlake: warning: ${warning}\n`);
}

/** Why no dead-letter warning could be given, and what to run once the store is readable again. */
function unlistedWarning(error: unknown, command: FollowUp): string {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? `${e.code}: ` : `${String(e.name ?? 'Error')}: `;
  return `dead letters could not be listed (${code}${String(e.message ?? error).split('\n')[0]!.slice(0, 500)}), so this answer ` +
    `may leave out dead-lettered events without saying so: \`${command('dlq', 'list')}\` shows them once the store reads again`;
}
