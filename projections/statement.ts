// The account-statement projection: one ledger row per account entry, and the read helper that adds running balances.
//
// Why rows are keyed by entry and not by event: a deposit and its verification are one entry
// (`cash_deposit_<RequestId>`) whose amount the verification replaces, and a transfer is two entries (debit and
// credit legs). Keyed this way, the final rows depend only on which events were applied, never on their order.

import { counterpartOf, type BalanceRule } from '../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../domain/event.ts';
import { eventId } from '../domain/event.ts';
import { formatAmount, parseAmount } from '../domain/money.ts';
import type { AppliedRecord, Changes, Projection } from '../domain/projection.ts';
import { line, reference, text, type StatementEntry, type StatementRule } from './statement-entry.ts';
import { userRuleRelated, userStatementRules } from './statement-user-rules.ts';

export type { StatementEntry } from './statement-entry.ts';

/** Suffixes of a transfer's two legs; the row key is `<event id><suffix>`. */
export const DEBIT_LEG = '#debit';
export const CREDIT_LEG = '#credit';

function single(event: DomainEvent, accountField: string, sign: 1n | -1n): Changes {
  const e: StatementEntry = {
    account: text(event, accountField), ts: event.EventTimeStamp, eventId: eventId(event), type: event.EventType,
    amount: formatAmount(sign * parseAmount(text(event, 'Amount'))), reference: reference(event),
  };
  return { rows: [line(eventId(event), e)] };
}

/** A deposit: its own amount, or the verified amount and account when the verification came first. */
function deposit(event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>): Changes {
  const verification = related.get(counterpartOf(event)!)?.memo;
  const own = { account: text(event, 'TargetAccount'), amount: formatAmount(parseAmount(text(event, 'Amount'))) };
  const e: StatementEntry = {
    account: verification ? String(verification['account']) : own.account, ts: event.EventTimeStamp, eventId: eventId(event),
    type: event.EventType, amount: verification ? String(verification['amount']) : own.amount, reference: reference(event),
    verified: verification !== undefined,
  };
  const memo: JsonObject = { ...own, ts: event.EventTimeStamp, ...(e.reference !== undefined ? { reference: e.reference } : {}) };
  return { rows: [line(eventId(event), e)], memo };
}

/**
 * The entry its applied deposit's rule left (undefined before the deposit). Why it throws (dead-letter) rather than
 * stand in: a deposit folded without that memo keeps its own rows, and the verified amount would count on top of them.
 */
function depositEntry(event: DomainEvent, deposit: AppliedRecord | undefined): JsonObject | undefined {
  const memo = deposit?.memo ?? undefined;
  if (!deposit || (typeof memo?.['account'] === 'string' && typeof memo['amount'] === 'string' && typeof memo['ts'] === 'number')) return memo;
  throw new TypeError(`${eventId(event)} cannot replace its deposit ${deposit.id}'s entry: the rule that folded the deposit left no memo { account, ` +
    'amount, ts } (a balanceRules.cash_deposit without related folds its own entries: give balanceRules.verify_cash_deposit a rule too)');
}
/** A verification: replaces the amount of its deposit's entry; stands in for the deposit until that arrives. */
function verification(event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>): Changes {
  const depositId = counterpartOf(event)!;
  const dep = depositEntry(event, related.get(depositId));
  const account = text(event, 'TargetAccount');
  const amount = formatAmount(parseAmount(text(event, 'Amount')));
  const e: StatementEntry = dep
    ? { account, ts: Number(dep['ts']), eventId: depositId, type: 'cash_deposit', amount, verified: true,
        reference: typeof dep['reference'] === 'string' ? dep['reference'] : undefined }
    : { account, ts: event.EventTimeStamp, eventId: eventId(event), type: event.EventType, amount, reference: reference(event), verified: true };
  return { rows: [line(depositId, e)], memo: { account, amount, ts: event.EventTimeStamp } };
}

function transfer(event: DomainEvent): Changes {
  const id = eventId(event);
  const amount = parseAmount(text(event, 'Amount'));
  const base = { ts: event.EventTimeStamp, eventId: id, type: event.EventType, reference: reference(event) };
  return {
    rows: [
      line(`${id}${DEBIT_LEG}`, { ...base, account: text(event, 'SourceAccount'), amount: formatAmount(-amount) }),
      line(`${id}${CREDIT_LEG}`, { ...base, account: text(event, 'TargetAccount'), amount: formatAmount(amount) }),
    ],
  };
}

const RULES: Readonly<Record<string, StatementRule>> = {
  cash_deposit: deposit,
  verify_cash_deposit: verification,
  cash_withdrawal: (event) => single(event, 'SourceAccount', -1n),
  incoming_payment: (event) => single(event, 'TargetAccount', 1n),
  inter_account_transfer: transfer,
};

/**
 * The account statement with the entries of your own balance rules (`balanceRules`, as given to the balances
 * projection): rows partitioned by account, no counters. A rule for a built-in type replaces its built-in entries, as it
 * replaces its balance rule. Rules with `related` fold too, reading the records (memos) the statement keeps for them, so
 * each account's statement adds up to its balance (statement-user-rules.ts, statement-pair-rules.ts).
 *
 * @example
 * const statement = createStatementProjection({ account_fee_charged: feeRule });
 */
export function createStatementProjection(balanceRules: Readonly<Record<string, BalanceRule>> = {}): Projection {
  const rules = { ...RULES, ...userStatementRules(balanceRules) };
  return {
    name: 'statement',
    version: 1,
    handles: (event) => Object.hasOwn(rules, event.EventType),
    related: (event) => {
      if (Object.hasOwn(balanceRules, event.EventType)) return userRuleRelated(event.EventType, balanceRules[event.EventType]!, event);
      const other = counterpartOf(event);
      return other ? [other] : [];
    },
    decide: (event, related) => rules[event.EventType]?.(event, related) ?? {},
    // The user's rules as given (a wrapped one reads alike whatever it wraps), beside the built-in entries they leave:
    // every one of them folds here, those with `related` too, so changing any flags statement generations as other rules.
    rules: { ...RULES, ...balanceRules },
  };
}

/**
 * The built-in account statement: rows partitioned by account, no counters.
 *
 * @example
 * await store.apply(statementProjection, gen, events);
 * const lines = statementOf(await store.rows('statement', gen, 'ACC-000001'));
 */
export const statementProjection: Projection = createStatementProjection();

/** One line of a statement as read: the entry and the balance after it. */
export interface StatementLine extends StatementEntry {
  readonly key: string;
  readonly balance: string;
}

/** A statement in event-time order (ts, then event id, then row key) with a running balance (exact cents). */
export function statementOf(rows: readonly { key: string; value: JsonObject }[]): StatementLine[] {
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [a.value, b.value];
    return Number(x['ts']) - Number(y['ts']) || cmp(String(x['eventId']), String(y['eventId'])) || cmp(a.key, b.key);
  });
  let balance = 0n;
  return sorted.map(({ key, value }) => {
    balance += parseAmount(String(value['amount']));
    const out: StatementLine = {
      key, account: String(value['account']), ts: Number(value['ts']), eventId: String(value['eventId']), type: String(value['type']),
      amount: String(value['amount']), balance: formatAmount(balance),
      ...(typeof value['reference'] === 'string' ? { reference: value['reference'] } : {}),
      ...(value['verified'] === true ? { verified: true } : {}),
    };
    return out;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
