// GET /statement/ACCOUNT: one account's statement lines from the live statement projection, caught up with the log first.

import type { FastifyInstance } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { EventNotFoundError, InvalidArgumentError } from '../domain/errors.ts';
import type { ForeignFold } from '../domain/ports/projection-store.ts';
import { readStatement, statementRange, type StatementRow } from './commands/statement.ts';
import { followUp, type FollowUp } from './follow-up.ts';
import { deadLetterAnswer, type AnswerWarning } from './http-dead-letters.ts';
import { sendError } from './http-errors.ts';
import { refuseUnknownParams } from './http-query-params.ts';
import { foldedWithOtherRules } from './http-balances.ts';

const PARAMS = ['since', 'until'] as const;

/** What GET /statement/ACCOUNT answers: the lines `eventlake statement ACCOUNT --json` prints, in order. */
export interface StatementAnswer {
  readonly account: string;
  readonly lines: readonly StatementRow[];
  /** As in GET /balances: present when the live statement generation holds folds made with other rules. */
  readonly foldedWithOtherRules?: ForeignFold;
  readonly warning?: string;
  /** Present when events of the account are dead-lettered on statement (its lines leave them out) or balances (its balance column does). */
  readonly warnings?: readonly AnswerWarning[];
}

/**
 * Register `GET /statement/ACCOUNT` (percent-encoded), optionally `?since=T&until=T` (ISO-8601 or epoch seconds, the
 * range [since, until)): the lines of `eventlake statement ACCOUNT --json`. An account without lines is a 404
 * `EVENT_NOT_FOUND` saying why, as GET /balances/ACCOUNT says it; another query parameter is a 400 naming it. Dead
 * letters of the account on statement or balances add `warnings` (http-dead-letters.ts).
 */
export function registerStatementRoute(
  app: FastifyInstance, local: LocalEventlake, serially: <T>(work: () => Promise<T>) => Promise<T>, command: FollowUp = followUp(),
): void {
  app.get<{ Params: { account: string } }>('/statement/:account', async (request, reply) => {
    const { account } = request.params;
    try {
      const query = request.query as Record<string, unknown>;
      refuseUnknownParams(query, 'GET /statement/ACCOUNT', PARAMS, '');
      if (account === '') throw new InvalidArgumentError('account', 'is empty: give an account number (GET /statement/ACCOUNT, percent-encoded); GET /balances lists every account');
      const range = statementRange(once(query, 'since'), once(query, 'until'), '');
      const lines = await serially(() => readStatement(local, account, { range, next: command, listAccounts: 'GET /balances' }));
      // Both projections, as `statement` warns: the lines come from statement, their balance column from balances.
      const answer: StatementAnswer = {
        account, lines, ...await foldedWithOtherRules(local, command, 'statement'),
        ...await deadLetterAnswer(local, account, ['statement', 'balances'], { request, command }),
      };
      return answer;
    } catch (error) {
      if (error instanceof EventNotFoundError) return reply.code(404).send({ error: error.code, message: error.message });
      return sendError(reply, error);
    }
  });
}

/** The parameter's one value; `InvalidArgumentError` when it is given more than once. */
function once(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new InvalidArgumentError(name, `is given ${value.length} times: give it once`);
  return value === undefined ? undefined : String(value);
}

