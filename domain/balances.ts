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

// Identity prefixes of the pair (eventId is `${EventType}_${RequestId}`): replay asks for a counterpart per event.
const VERIFICATION_ID = eventId({ EventType: 'verify_cash_deposit', RequestId: '' });
const DEPOSIT_ID = eventId({ EventType: 'cash_deposit', RequestId: '' });

/** Identity of the deposit a verification verifies (they share a RequestId), and vice versa. */
export function counterpartOf(event: DomainEvent): string | undefined {
  if (event.EventType === 'cash_deposit') return VERIFICATION_ID + event.RequestId;
  if (event.EventType === 'verify_cash_deposit') return DEPOSIT_ID + event.RequestId;
  return undefined;
}

/** An event's amount: cents, and the canonical two-decimal text (`formatAmount(cents)`). */
interface Amount {
  readonly cents: bigint;
  readonly text: string;
}

const DOT = 46;
const ZERO = 48;

/**
 * `parseAmount` of the event's Amount, with a fast path (no regexp, no substrings) for the usual unsigned form of at
 * most 13 integer digits, whose cents fit a double exactly. Anything else, errors included, goes to `parseAmount`.
 */
export function amountOf(event: DomainEvent): Amount {
  const text = str(event, 'Amount');
  const n = text.length;
  if (n >= 4 && n <= 16 && text.charCodeAt(n - 3) === DOT) {
    let cents = 0;
    for (let i = 0; i < n; i++) {
      if (i === n - 3) continue;
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) return slowAmount(text);
      cents = cents * 10 + digit;
    }
    const exact = BigInt(cents);
    // Canonical unless the integer part has a leading zero ("007.50"): then formatted as parseAmount's callers would.
    return { cents: exact, text: text.charCodeAt(0) !== ZERO || n === 4 ? text : formatAmount(exact) };
  }
  return slowAmount(text);
}

function slowAmount(text: string): Amount {
  const cents = parseAmount(text);
  return { cents, text: formatAmount(cents) };
}

function memoOf(account: string, amount: Amount, event: DomainEvent): JsonObject {
  return { account, amount: amount.text, ts: event.EventTimeStamp };
}

/** How one event type changes balances, given the applied records of its related events. */
export interface BalanceRule {
  /** Identities whose applied records the rule reads (e.g. a deposit's verification). */
  readonly related?: (event: DomainEvent) => readonly string[];
  readonly decide: (event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>) => Changes;
}

const centsOf = (event: DomainEvent): bigint => amountOf(event).cents;
const move = (account: string, delta: bigint): CounterChange => ({ key: account, delta });
const pair = (event: DomainEvent): readonly string[] => [counterpartOf(event)!];

/**
 * What a verification takes back of its applied deposit, by the memo the deposit's rule left. Why it throws (the
 * verification is dead-lettered) rather than reverse nothing: the deposit's credit would stay and the verified amount
 * be credited on top of it, as when a balanceRules.cash_deposit leaves no memo.
 */
function reversal(event: DomainEvent, deposit: AppliedRecord): CounterChange {
  const account = deposit.memo?.['account'];
  const amount = deposit.memo?.['amount'];
  if (typeof account === 'string' && typeof amount === 'string') return move(account, -parseAmount(amount));
  throw new TypeError(`${eventId(event)} cannot take back its deposit ${deposit.id}: the rule that folded the deposit left no memo ` +
    '{ account, amount } (a balanceRules.cash_deposit must leave the one the built-in rule leaves, or balanceRules.verify_cash_deposit replace this rule)');
}

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
      // Verified first: the deposit credits nothing, but its account is still touched (0), as it is when the deposit
      // comes first and the verification reverses it into another account: either order ends with the same accounts.
      return { counters: [move(account, verified ? 0n : amount.cents)], memo: memoOf(account, amount, event) };
    },
  },
  verify_cash_deposit: {
    related: pair,
    decide: (event, related) => {
      const account = str(event, 'TargetAccount');
      const amount = amountOf(event);
      const deposit = related.get(counterpartOf(event)!);
      const counters = [move(account, amount.cents)];
      if (deposit) counters.unshift(reversal(event, deposit));
      return { counters, memo: memoOf(account, amount, event) };
    },
  },
  cash_withdrawal: { decide: (event) => ({ counters: [move(str(event, 'SourceAccount'), -centsOf(event))] }) },
  incoming_payment: { decide: (event) => ({ counters: [move(str(event, 'TargetAccount'), centsOf(event))] }) },
  inter_account_transfer: {
    decide: (event) => {
      const cents = centsOf(event);
      return { counters: [move(str(event, 'SourceAccount'), -cents), move(str(event, 'TargetAccount'), cents)] };
    },
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
    rules,
  };
}

/** The built-in account-balance projection. */
export const balancesProjection: Projection = createBalancesProjection();
