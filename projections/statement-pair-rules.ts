// The statement entries of a balanceRules.cash_deposit or verify_cash_deposit that reads its counterpart through
// `related` (the memo contract): the pair stays one entry keyed by the deposit's id, as with the built-in rules, and
// rules that keep the contract give rows that never depend on which of the two came first.
//
// Why "rest" lines: the pair's entry holds what the memos { account, amount } say (the deposit's, then the
// verification's, which a verification reverses and replaces). Whatever else a rule moves (a fee, a part of the amount
// kept elsewhere) is a line `<event id>#<account>` of its own: the rule's moves minus what it changed of the entry.
// So each account's lines add up to what the rules moved on its balance, in either order.

import { counterpartOf, type BalanceRule } from '../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../domain/event.ts';
import { eventId } from '../domain/event.ts';
import { formatAmount, parseAmount } from '../domain/money.ts';
import { checkChanges } from '../domain/projection-changes-check.ts';
import type { Changes, RowPut } from '../domain/projection.ts';
import { accountLines, line, movesByAccount, recordsFor, reference, type StatementEntry, type StatementRule } from './statement-entry.ts';

/** The other type of the deposit/verification pair. */
export const PAIR_OTHER: Readonly<Record<string, string>> = { cash_deposit: 'verify_cash_deposit', verify_cash_deposit: 'cash_deposit' };

/** The pair's entry as a memo names it: an account and an amount (as written, so either order writes the same text). */
interface Named {
  readonly account: string;
  readonly amount: string;
  readonly cents: bigint;
}

function named(memo: JsonObject | null | undefined, owner: string): Named | undefined {
  const [account, amount] = [memo?.['account'], memo?.['amount']];
  if (typeof account !== 'string' || typeof amount !== 'string') return undefined;
  try {
    return { account, amount, cents: parseAmount(amount) };
  } catch (cause) {
    throw new TypeError(`${owner}: its rule's memo amount ${JSON.stringify(amount)} is not an amount: leave memo { account, amount } ` +
      'with amount a two-decimal string, as the built-in rule does', { cause });
  }
}

/** The rule's moves less the entry's change (`after` replaces `before`), as lines `<id>#<account>`; zeros left out. */
function rest(event: DomainEvent, changes: Changes, before: Named | undefined, after: Named | undefined): RowPut[] {
  const moved = movesByAccount(changes);
  if (after) moved.set(after.account, (moved.get(after.account) ?? 0n) - after.cents);
  if (before) moved.set(before.account, (moved.get(before.account) ?? 0n) + before.cents);
  return accountLines(event, [...moved].filter(([, delta]) => delta !== 0n));
}

const textOr = (memo: JsonObject, field: string): string | undefined => (typeof memo[field] === 'string' ? String(memo[field]) : undefined);

/**
 * A deposit folded by `rule`. Its memo (for the verification to read) is the rule's, with the deposit's time and
 * Reference, which the entry keeps once verified; no memo when the rule leaves none, so the built-in verification
 * dead-letters as it does in balances. `verificationKeepsEntry`: the verify_cash_deposit rule keeps the pair's entry.
 */
export function depositRule(rule: BalanceRule, verificationKeepsEntry: boolean): StatementRule {
  return (event, related) => {
    const id = eventId(event);
    const changes = checkChanges('statement', event, rule.decide(event, recordsFor(rule, event, related)));
    const ref = reference(event);
    const memo = changes.memo && { ...changes.memo, ts: event.EventTimeStamp, ...(ref !== undefined ? { reference: ref } : {}) };
    const verification = related.get(counterpartOf(event)!);
    const base = { ts: event.EventTimeStamp, eventId: id, type: event.EventType, reference: memo ? textOr(memo, 'reference') : ref };
    if (verification) {
      // Verified first: the entry is the verification's, standing in; the deposit gives it its time and Reference.
      const entry = verificationKeepsEntry ? named(verification.memo, verification.id) : undefined;
      const rows = entry ? [line(id, { ...base, account: entry.account, amount: entry.amount, verified: true })] : [];
      return { rows: [...rows, ...rest(event, changes, undefined, undefined)], ...(memo ? { memo } : {}) };
    }
    const entry = named(memo, id);
    const rows = entry ? [line(id, { ...base, account: entry.account, amount: formatAmount(entry.cents) })] : [];
    return { rows: [...rows, ...rest(event, changes, undefined, entry)], ...(memo ? { memo } : {}) };
  };
}

/**
 * A verification folded by `rule`: it sets the pair's entry to the account and amount of its memo (the event's
 * TargetAccount and Amount where the rule's memo names none, as the built-in memo does). `depositKeepsEntry`: the
 * cash_deposit rule keeps the pair's entry, which this one then replaces.
 */
export function verificationRule(rule: BalanceRule, depositKeepsEntry: boolean): StatementRule {
  return (event, related) => {
    const depositId = counterpartOf(event)!;
    const changes = checkChanges('statement', event, rule.decide(event, recordsFor(rule, event, related)));
    // The built-in memo, where the event has its fields (a newer version your rule reads may not): yours wins.
    const [account, amount] = [event['TargetAccount'], event['Amount']];
    const memo: JsonObject = {
      ...(typeof account === 'string' ? { account } : {}), ...(typeof amount === 'string' ? { amount: formatAmount(parseAmount(amount)) } : {}),
      ts: event.EventTimeStamp, ...changes.memo,
    };
    const after = named(memo, eventId(event));
    if (!after) throw new TypeError(`${eventId(event)}: the verification's statement entry needs an account and an amount: its rule leaves no memo ` +
      '{ account, amount } of strings and the event has no string TargetAccount and Amount. Leave that memo, as the built-in rule does');
    const deposit = depositKeepsEntry ? related.get(depositId) : undefined;
    const before = deposit ? named(deposit.memo, deposit.id) : undefined;
    const known = deposit?.memo && typeof deposit.memo['ts'] === 'number' ? deposit.memo : undefined;
    const e: StatementEntry = known
      ? { account: after.account, ts: Number(known['ts']), eventId: depositId, type: 'cash_deposit', amount: after.amount, reference: textOr(known, 'reference'), verified: true }
      : { account: after.account, ts: event.EventTimeStamp, eventId: eventId(event), type: event.EventType, amount: after.amount, reference: reference(event), verified: true };
    return { rows: [line(depositId, e), ...rest(event, changes, before, after)], memo };
  };
}
