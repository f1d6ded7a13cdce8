// The stderr warning `balance ACCOUNT` and `statement ACCOUNT` give when a projection they read holds dead letters of
// events touching the account: its balance (or lines) leaves those events out, so the two commands may disagree.

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { UnsupportedOnTargetError } from '../domain/errors.ts';
import type { DeadLetter } from '../domain/ports/dead-letter-store.ts';
import { lastError } from './dead-letter-hint.ts';
import type { FollowUp } from './follow-up.ts';

type Lake = Pick<LocalEventlake, 'deadLetters' | 'index'>;

/**
 * One warning per projection of `projections` holding dead letters of events that touch `account`: how many, the
 * last error, that the projection leaves them out, and the `dlq list --projection P` to run (with `command`'s global
 * options). Why one store read for every projection: the warning must stay cheap on every read; the index is asked
 * only for the letters' own events.
 *
 * @example
 * await deadLetterWarnings(local, 'BIG-0001', ['balances'], followUp(opts));
 * // ['100 events touching BIG-0001 are dead-lettered on balances (last error: …), so balances leaves them out: `eventlake dlq list --projection balances`']
 */
export async function deadLetterWarnings(local: Lake, account: string, projections: readonly string[], command: FollowUp): Promise<string[]> {
  // On AWS dead letters are SQS messages this process does not read (list throws UNSUPPORTED_ON_TARGET): no warning,
  // rather than failing the read of a balance that is there.
  const all = await local.deadLetters.list().catch((error: unknown) => {
    if (error instanceof UnsupportedOnTargetError) return [];
    throw error;
  });
  const letters = all.filter((l) => projections.includes(l.target));
  if (letters.length === 0) return [];
  const touches = new Map<string, boolean>();
  for (const id of new Set(letters.map((l) => l.id))) {
    touches.set(id, (await local.index.get(id))?.accounts.includes(account) ?? false);
  }
  const warnings: string[] = [];
  for (const projection of projections) {
    const mine: DeadLetter[] = letters.filter((l) => l.target === projection && touches.get(l.id));
    if (mine.length === 0) continue;
    const n = mine.length === 1 ? '1 event touching' : `${mine.length} events touching`;
    warnings.push(`${n} ${account} ${mine.length === 1 ? 'is' : 'are'} dead-lettered on ${projection} (last error: ${lastError(mine)}), ` +
      `so ${projection} leaves ${mine.length === 1 ? 'it' : 'them'} out: \`${command('dlq', 'list', '--projection', projection)}\``);
  }
  return warnings;
}

/** `deadLetterWarnings` written to stderr, one `eventlake: warning:` line each. */
export async function warnDeadLetters(local: Lake, account: string, projections: readonly string[], command: FollowUp): Promise<void> {
  for (const warning of await deadLetterWarnings(local, account, projections, command)) {
    process.stderr.write(`eventlake: warning: ${warning}\n`);
  }
}
