// GET /balances and GET /balances/ACCOUNT: the live balances projection, caught up with the log first.

import type { FastifyInstance } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { ForeignFold } from '../domain/ports/projection-store.ts';
import { liveForeignFold } from '../projections/foreign-fold.ts';
import { unmovedAccount } from './balance-hint.ts';
import type { FollowUp } from './follow-up.ts';
import { deadLetterAnswer } from './http-dead-letters.ts';
import { sendError } from './http-errors.ts';
import { refuseUnknownParams } from './http-query-params.ts';

/**
 * Register `GET /balances` (every account's balance) and `GET /balances/ACCOUNT` (one, percent-encoded). An account
 * without a balance is a 404 `EVENT_NOT_FOUND` that says whether no event names it, or which events name it and why
 * none moved its balance (dead-lettered, folded before their rule was loaded, a payment's remote account, a type the
 * projection has no rule for), in the words of the CLI that started the server (`unmovedAccount`), its suggested
 * commands spelled by `command` (with the server's global options, so that they read the served data dir). Neither
 * route takes a query parameter: one is a 400 naming it, rather than ignored. When the live generation holds events a
 * process with other rules folded (foreign-fold.ts), both answers carry `foldedWithOtherRules` (as `status --json`)
 * and `warning` (what `eventlake balance` writes on stderr): the balances may be wrong for those events. When events
 * of the account (of any account, for GET /balances) are dead-lettered on balances, both carry `warnings`
 * (http-dead-letters.ts): the balances leave those events out.
 */
export function registerBalanceRoutes(
  app: FastifyInstance, local: LocalEventlake, serially: <T>(work: () => Promise<T>) => Promise<T>, command?: FollowUp,
): void {
  // Reads catch the projections up first: a busy index or catalogue is a 503 (retry), as for POST, not a 500.
  app.get('/balances', async (request, reply) => {
    try {
      refuseUnknownParams(request.query as Record<string, unknown>, 'GET /balances', [], ': for one account\'s balance, GET /balances/ACCOUNT (percent-encoded)');
      const balances = Object.fromEntries(await serially(() => local.lake.balances()));
      // Every dead letter on balances, whichever account it touches: one store read, no index read per account.
      return { balances, ...await foldedWithOtherRules(local, command), ...await deadLetterAnswer(local, undefined, ['balances'], { request, command }) };
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.get<{ Params: { account: string } }>('/balances/:account', async (request, reply) => {
    const { account } = request.params;
    try {
      refuseUnknownParams(request.query as Record<string, unknown>, 'GET /balances/ACCOUNT', [], ' (the account goes in the path)');
      if (account === '') throw new InvalidArgumentError('account', 'is empty: give an account number (GET /balances/ACCOUNT, percent-encoded), or GET /balances for every account');
      const balance = await serially(() => local.lake.balance(account));
      if (balance === undefined) {
        const unmoved = await unmovedAccount(local, account, command);
        return reply.code(404).send({ error: 'EVENT_NOT_FOUND', message: unmoved?.message ?? `no event has touched account ${account}` });
      }
      return { account, balance, ...await foldedWithOtherRules(local, command), ...await deadLetterAnswer(local, account, ['balances'], { request, command }) };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

/**
 * What an answer read from `projection` (balances, statement) adds when its live generation holds folds made with other
 * rules; nothing otherwise. Read after the rows, as `balance` does: the read's catch-up may be what folded such events.
 */
export async function foldedWithOtherRules(local: Pick<LocalEventlake, 'store' | 'projections' | 'registry'>, command?: FollowUp, projection = 'balances'): Promise<{ foldedWithOtherRules?: ForeignFold; warning?: string }> {
  const { fold, warning } = await liveForeignFold(local, projection, command);
  return fold && warning ? { foldedWithOtherRules: fold, warning } : {};
}
