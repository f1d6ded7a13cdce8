// The `warnings` of serve's balance and statement answers: dead letters the answer leaves out, as `balance` and
// `statement` warn on stderr, in fields a client can branch on.

import type { FastifyRequest } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { deadLettered, deadLetterWarning, listedDeadLetters, type DeadLettered } from './dead-letter-warning.ts';
import { followUp, type FollowUp } from './follow-up.ts';

/** Events touching the answer's account(s) are dead-lettered on `projection`: the answer leaves them out. */
export interface DeadLetteredWarning extends DeadLettered {
  readonly code: 'DEAD_LETTERED';
  /** The words `balance`/`statement` write on stderr, with the `dlq list --projection P` to run. */
  readonly message: string;
}

/** The dead letters could not be listed (the server log says why): the answer may leave events out unwarned. */
export interface DeadLettersUnlistedWarning {
  readonly code: 'DEAD_LETTERS_UNLISTED';
  readonly message: string;
}

/** One entry of an answer's `warnings`; `code` says which. */
export type AnswerWarning = DeadLetteredWarning | DeadLettersUnlistedWarning;

export interface DeadLetterRead {
  /** The request answered: named in the server log line of a listing that failed. */
  readonly request: FastifyRequest;
  /** Spells the `dlq list` of the messages (serve's global options). Default: bare. */
  readonly command?: FollowUp | undefined;
}

/**
 * `{ warnings }` for an answer read from `projections`, about `account`, or about every account when it is undefined
 * (GET /balances: every dead letter on those projections, whichever account it touches); `{}` without any, so an answer
 * without dead letters is what it was before. One dead-letter store read per request, whatever the number of accounts.
 * A store that cannot be read does not fail the read (the balance is there): the answer carries DEAD_LETTERS_UNLISTED,
 * and the server log the error (its message may name server paths, so it stays out of the answer).
 *
 * @example
 * { account, balance, ...await deadLetterAnswer(local, account, ['balances'], { request, command }) }
 */
export async function deadLetterAnswer(
  local: Pick<LocalEventlake, 'deadLetters' | 'index'>, account: string | undefined, projections: readonly string[], read: DeadLetterRead,
): Promise<{ warnings?: AnswerWarning[] }> {
  const command = read.command ?? followUp();
  let found: DeadLettered[];
  try {
    found = await deadLettered(local, await listedDeadLetters(local), account, projections);
  } catch (error) {
    logUnlisted(read.request, error);
    return { warnings: [{ code: 'DEAD_LETTERS_UNLISTED', message: 'dead letters could not be listed (see the server log), so this answer may leave out dead-lettered events without a DEAD_LETTERED warning' }] };
  }
  if (found.length === 0) return {};
  return { warnings: found.map((d) => ({ code: 'DEAD_LETTERED', ...d, message: account === undefined ? everyAccount(d, command) : deadLetterWarning(d, account, command) })) };
}

/** The warning of an answer about every account: which ones the events touch is not looked up (an index read each). */
function everyAccount(d: DeadLettered, command: FollowUp): string {
  return `${d.events === 1 ? '1 event is' : `${d.events} events are`} dead-lettered on ${d.projection} (last error: ${d.lastError}), ` +
    `so ${d.projection} leaves ${d.events === 1 ? 'it' : 'them'} out of the balances of the accounts ${d.events === 1 ? 'it touches' : 'they touch'}: \`${command('dlq', 'list', '--projection', d.projection)}\``;
}

/** One stderr line naming the request and why its dead letters were not listed; the request itself was answered. */
function logUnlisted(request: FastifyRequest, error: unknown): void {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? ` ${e.code}` : '';
  process.stderr.write(`eventlake serve: ${request.method} ${request.url.split('?')[0]} (${request.id}): dead letters not listed, ` +
    `answered with DEAD_LETTERS_UNLISTED: ${String(e.name ?? 'Error')}${code}: ${String(e.message ?? error).split('\n')[0]!.slice(0, 500)}\n`);
}
