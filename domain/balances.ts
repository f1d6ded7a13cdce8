// The account-balance folding rules: which accounts each bank event credits or debits, in cents.

import type { DomainEvent, JsonObject } from './event.ts';
import { eventId } from './event.ts';
import { formatAmount, parseAmount } from './money.ts';
import type { AppliedRecord, Changes, CounterChange, Projection } from './projection.ts';

function str(event: DomainEvent, field: string): string {
  const v = event[field];
  if (typeof v !== 'string') throw new TypeError(`${eventId(event)} has no string ${field}`);
  return v;
}

/** Identity of the deposit a verification verifies (they share a RequestId), and vice versa. */
export function counterpartOf(event: DomainEvent): string | undefined {
  if (event.EventType === 'cash_deposit') return eventId({ EventType: 'verify_cash_deposit', RequestId: event.RequestId });
  if (event.EventType === 'verify_cash_deposit') return eventId({ EventType: 'cash_deposit', RequestId: event.RequestId });
  return undefined;
}

function memoOf(account: string, cents: bigint, event: DomainEvent): JsonObject {
  return { account, amount: formatAmount(cents), ts: event.EventTimeStamp };
}

/** How one event type changes balances, given the applied records of its related events. */
export interface BalanceRule {
  /** Identities whose applied records the rule reads (e.g. a deposit's verification). */
  readonly related?: (event: DomainEvent) => readonly string[];
  readonly decide: (event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>) => Changes;
}

const amountOf = (event: DomainEvent): bigint => parseAmount(str(event, 'Amount'));
const move = (account: string, delta: bigint): CounterChange => ({ key: account, delta });
const pair = (event: DomainEvent): readonly string[] => [counterpartOf(event)!];

/**
 * The built-in rules.
 * A verification's amount replaces its deposit's: a deposit after its verification credits nothing, a
 * verification after its deposit reverses the deposit and credits the verified amount. Either order ends equal.
 */
export const BUILTIN_BALANCE_RULES: Readonly<Record<string, BalanceRule>> = {
  cash_deposit: {
    related: pair,
    decide: (event, related) => {
      const account = str(event, 'TargetAccount');
      const amount = amountOf(event);
      const verified = related.get(counterpartOf(event)!);
      return { counters: verified ? [] : [move(account, amount)], memo: memoOf(account, amount, event) };
    },
  },
  verify_cash_deposit: {
    related: pair,
    decide: (event, related) => {
      const account = str(event, 'TargetAccount');
      const amount = amountOf(event);
      const deposit = related.get(counterpartOf(event)!)?.memo;
      const counters = [move(account, amount)];
      if (deposit) counters.unshift(move(String(deposit['account']), -parseAmount(String(deposit['amount']))));
      return { counters, memo: memoOf(account, amount, event) };
    },
  },
  cash_withdrawal: { decide: (event) => ({ counters: [move(str(event, 'SourceAccount'), -amountOf(event))] }) },
  incoming_payment: { decide: (event) => ({ counters: [move(str(event, 'TargetAccount'), amountOf(event))] }) },
  inter_account_transfer: {
    decide: (event) => ({
      counters: [move(str(event, 'SourceAccount'), -amountOf(event)), move(str(event, 'TargetAccount'), amountOf(event))],
    }),
  },
};

/**
 * The account-balance projection: one counter (cents) per account. Pass extra rules to fold your own event types;
 * an extra rule for a built-in type replaces the built-in one. A type without a rule is not handled: stores report it
 * as `skipped` and count it, never fail it. Rules should read only fields every stored version of their type has, or
 * be given upcast events (`registry.upcast`); the built-in cash_withdrawal rule reads fields of both v1 and v2.
 *
 * @example
 * const balances = createBalancesProjection({
 *   outgoing_payment: { decide: (e) => ({ counters: [{ key: String(e.SourceAccount), delta: -parseAmount(String(e.Amount)) }] }) },
 * });
 */
export function createBalancesProjection(extraRules: Readonly<Record<string, BalanceRule>> = {}): Projection {
  const rules: Record<string, BalanceRule> = { ...BUILTIN_BALANCE_RULES, ...extraRules };
  return {
    name: 'balances',
    version: 1,
    handles: (event) => Object.hasOwn(rules, event.EventType),
    related: (event) => rules[event.EventType]?.related?.(event) ?? [],
    decide: (event, related) => rules[event.EventType]?.decide(event, related) ?? {},
  };
}

/** The built-in account-balance projection. */
export const balancesProjection: Projection = createBalancesProjection();
