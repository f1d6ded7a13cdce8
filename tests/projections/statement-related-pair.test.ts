// A balanceRules.cash_deposit or verify_cash_deposit that reads its counterpart through `related` (the memo contract)
// folds the statement too: the pair stays one entry, whatever else a rule moves is a line of its own, the rows never
// depend on the order, and each account's lines add up to its balance.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { createBalancesProjection, type BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import { formatAmount, parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { createStatementProjection } from '../../projections/statement.ts';
import { eventsWithDeliveries } from '../support/arbitraries.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('statement: deposit and verification rules with related');
const [D, V] = [SAMPLES['cash_deposit'] as DomainEvent, SAMPLES['verify_cash_deposit'] as DomainEvent];
const FEES = 'FEES-0001';
const cents = (e: DomainEvent): bigint => parseAmount(String(e['Amount']));

/** The memo contract, with a 1.00 fee on every deposit kept whether verified or not (fee 0: the built-in rule). */
const depositRule = (fee: bigint, memo = true): BalanceRule => ({
  related: (e) => [`verify_cash_deposit_${e.RequestId}`],
  decide: (e, related) => {
    const verified = related.has(`verify_cash_deposit_${e.RequestId}`);
    const account = String(e['TargetAccount']);
    const counters = [{ key: account, delta: (verified ? 0n : cents(e)) - fee }, ...(fee ? [{ key: FEES, delta: fee }] : [])];
    return { counters, ...(memo ? { memo: { account, amount: String(e['Amount']) } } : {}) };
  },
});

/** The built-in verification's semantics (reverse the deposit's memo, credit the verified amount), with a fee. */
const verifyRule = (fee: bigint): BalanceRule => ({
  related: (e) => [`cash_deposit_${e.RequestId}`],
  decide: (e, related) => {
    const account = String(e['TargetAccount']);
    const deposit = related.get(`cash_deposit_${e.RequestId}`)?.memo;
    const counters = [{ key: account, delta: cents(e) - fee }, ...(fee ? [{ key: FEES, delta: fee }] : [])];
    if (deposit) counters.unshift({ key: String(deposit['account']), delta: -parseAmount(String(deposit['amount'])) });
    return { counters, memo: { account, amount: String(e['Amount']) } };
  },
});

type Rules = Record<string, BalanceRule>;
const rowsOf = (rules: Rules, events: DomainEvent[]): [string, JsonObject][] =>
  [...foldEvents(createStatementProjection(rules), events).rows].map(([key, row]): [string, JsonObject] => [key, row.value]).sort(([a], [b]) => (a < b ? -1 : 1));

/** Each account's statement total and its balance, non-zero ones only. */
function totals(rules: Rules, events: DomainEvent[]): { statement: string[][]; balances: string[][] } {
  const sums = new Map<string, bigint>();
  for (const row of foldEvents(createStatementProjection(rules), events).rows.values()) {
    sums.set(row.partition, (sums.get(row.partition) ?? 0n) + parseAmount(String(row.value['amount'])));
  }
  const nonZero = (m: Map<string, bigint>) => [...m].filter(([, v]) => v !== 0n).map(([k, v]) => [k, formatAmount(v)]).sort();
  return { statement: nonZero(sums), balances: nonZero(foldEvents(createBalancesProjection(rules), events).counters) };
}

/** The rows `rules` fold each of `cases` into are the built-in rules' rows. */
function assertBuiltinRows(rules: Rules, cases: DomainEvent[][]): void {
  for (const events of cases) assert.equal(rowsOf(rules, events), rowsOf({}, events), events.map((e) => e.EventType).join(', '));
}

/** Each account's statement total is its balance, for each of `cases`. */
function assertTotals(rules: Rules, cases: DomainEvent[][]): void {
  for (const events of cases) {
    const { statement, balances } = totals(rules, events);
    assert.equal(statement, balances);
  }
}

test('a cash_deposit rule with related that follows the memo contract gives the built-in rows: unverified, and verified in either order', () => {
  assertBuiltinRows({ cash_deposit: depositRule(0n) }, [[D], [D, V], [V, D]]);
});

test('what a cash_deposit rule moves besides the entry (a fee) is a line of its own, the same in either order, adding up to the balances', () => {
  const rules = { cash_deposit: depositRule(100n) };
  assert.equal(rowsOf(rules, [V, D]), rowsOf(rules, [D, V]));
  assert.equal(rowsOf(rules, [D, V]).map(([key, v]) => [key, v['amount']]), [
    ['cash_deposit_3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f', '123.40'],
    ['cash_deposit_3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f#DE44-5001-0517', '-1.00'],
    ['cash_deposit_3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f#FEES-0001', '1.00'],
  ]);
  assertTotals(rules, [[D], [D, V], [V, D]]);
});

test('a verify_cash_deposit rule with related that reverses the deposit\'s memo gives the built-in rows in either order', () => {
  assertBuiltinRows({ verify_cash_deposit: verifyRule(0n) }, [[V], [D, V], [V, D]]);
});

test('a verify_cash_deposit rule with a fee has its own fee lines, the same in either order, adding up to the balances', () => {
  for (const rules of [{ verify_cash_deposit: verifyRule(100n) }, { cash_deposit: depositRule(100n), verify_cash_deposit: verifyRule(100n) }] as Rules[]) {
    assert.equal(rowsOf(rules, [V, D]), rowsOf(rules, [D, V]));
    assertTotals(rules, [[V], [D, V], [V, D]]);
  }
});

test('a verify_cash_deposit rule whose memo names the entry folds a verification without TargetAccount (a newer version of yours)', () => {
  const moved = { ...V, Account: V['TargetAccount'] } as DomainEvent;
  delete (moved as Record<string, unknown>)['TargetAccount'];
  const rule: BalanceRule = { ...verifyRule(0n), decide: (e, related) => verifyRule(0n).decide({ ...e, TargetAccount: e['Account'] } as DomainEvent, related) };
  assertTotals({ verify_cash_deposit: rule }, [[moved], [D, moved], [moved, D]]);
});

test('a verification after a deposit whose rule with related left no memo fails in the statement as in balances, never counting it twice', () => {
  const rules = { cash_deposit: depositRule(0n, false) };
  assert.throws(() => foldEvents(createBalancesProjection(rules), [D, V]), /left no memo/);
  assert.throws(() => foldEvents(createStatementProjection(rules), [D, V]), /left no memo/);
  assert.equal(rowsOf(rules, [D]).map(([, v]) => v['amount']), ['123.45']);
  assertTotals(rules, [[V, D]]);
});

test('a deposit rule whose related names no verification sees none in the statement either, which still adds up to the balances', () => {
  const blind: BalanceRule = { ...depositRule(0n), related: () => [] };
  assertTotals({ cash_deposit: blind }, [[D], [D, V], [V, D]]);
});

test('with rules with related for both, the statement ends at the balances and its rows ignore delivery order and duplicates (100 cases)', () => {
  const rules = { cash_deposit: depositRule(100n), verify_cash_deposit: verifyRule(50n) };
  fc.assert(fc.property(eventsWithDeliveries, ([events, delivered]) => {
    assert.equal(rowsOf(rules, delivered), rowsOf(rules, events));
    assertTotals(rules, [delivered]);
  }), { numRuns: 100 });
});

test.run();
