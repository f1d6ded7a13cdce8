// The account-statement projection: one ledger row per account entry, and the read helper that adds running balances.
//
// Why rows are keyed by entry and not by event: a deposit and its verification are one entry
// (`cash_deposit_<RequestId>`) whose amount the verification replaces, and a transfer is two entries (debit and
// credit legs). Keyed this way, the final rows depend only on which events were applied, never on their order.

import { counterpartOf, type BalanceRule } from '../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../domain/event.ts';
import { eventId } from '../domain/event.ts';
import { formatAmount, parseAmount } from '../domain/money.ts';
import type { AppliedRecord, Changes, Projection, RowPut } from '../domain/projection.ts';

/** The value of one statement row. `amount` is signed: credits positive, debits negative. */
export interface StatementEntry {
  readonly account: string;
  /** EventTimeStamp of the entry (the deposit's, once the deposit is known). */
  readonly ts: number;
  /** The event that defines the entry (the deposit, once known). */
  readonly eventId: string;
  readonly type: string;
  readonly amount: string;
  readonly reference?: string;
  /** True once a verification has set the amount. */
  readonly verified?: boolean;
}

type StatementRule = (event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>) => Changes;

/** Suffixes of a transfer's two legs; the row key is `<event id><suffix>`. */
export const DEBIT_LEG = '#debit';
export const CREDIT_LEG = '#credit';

function text(event: DomainEvent, field: string): string {
  const v = event[field];
  if (typeof v !== 'string') throw new TypeError(`${eventId(event)} has no string ${field}`);
  return v;
}

function entry(e: StatementEntry): JsonObject {
  const out: JsonObject = { account: e.account, ts: e.ts, eventId: e.eventId, type: e.type, amount: e.amount };
  if (e.reference !== undefined) out['reference'] = e.reference;
  if (e.verified) out['verified'] = true;
  return out;
}

function line(key: string, e: StatementEntry): RowPut {
  return { key, partition: e.account, value: entry(e) };
}

function reference(event: DomainEvent): string | undefined {
  return typeof event['Reference'] === 'string' ? event['Reference'] : undefined;
}

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
 * One entry per account a user rule moves money on (`<event id>#<account>`), so the statement adds up to the balances
 * for your own types too. Only rules without `related`: a rule that reads other events' records reads the balances
 * projection's memos, which the statement does not keep.
 */
function fromBalanceRule(rule: BalanceRule) {
  return (event: DomainEvent): Changes => {
    const id = eventId(event);
    const base = { ts: event.EventTimeStamp, eventId: id, type: event.EventType, reference: reference(event) };
    // One entry per account, of the moves' sum: the row key is per account, and a rule may move one account twice.
    const moved = new Map<string, bigint>();
    for (const c of rule.decide(event, new Map()).counters ?? []) moved.set(c.key, (moved.get(c.key) ?? 0n) + c.delta);
    return { rows: [...moved].map(([account, delta]) => line(`${id}#${account}`, { ...base, account, amount: formatAmount(delta) })) };
  };
}

/**
 * The account statement with the entries of your own balance rules (`balanceRules`, as given to the balances
 * projection): rows partitioned by account, no counters. A rule for a built-in type replaces its built-in entries, as it
 * replaces its balance rule; rules with `related` are left out (see `fromBalanceRule`).
 *
 * @example
 * const statement = createStatementProjection({ account_fee_charged: feeRule });
 */
export function createStatementProjection(balanceRules: Readonly<Record<string, BalanceRule>> = {}): Projection {
  const rules = { ...RULES };
  for (const [type, rule] of Object.entries(balanceRules)) {
    if (rule.related) delete rules[type];
    else rules[type] = fromBalanceRule(rule);
  }
  return {
    name: 'statement',
    version: 1,
    handles: (event) => Object.hasOwn(rules, event.EventType),
    related: (event) => {
      const other = Object.hasOwn(balanceRules, event.EventType) ? undefined : counterpartOf(event);
      return other ? [other] : [];
    },
    decide: (event, related) => rules[event.EventType]?.(event, related) ?? {},
    // The user's rules as given (a wrapped one reads alike whatever it wraps), beside the built-in entries they leave;
    // those with `related` fold nothing here, so changing them must not flag statement generations as other rules.
    rules: { ...rules, ...Object.fromEntries(Object.entries(balanceRules).filter(([, rule]) => !rule.related)) },
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
