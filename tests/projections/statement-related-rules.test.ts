// A user balance rule with `related` on any type folds the statement too, reading there the memos it reads in
// balances, and is part of the statement's rules fingerprint.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBalancesProjection, type BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { formatAmount, parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { createStatementProjection, statementOf } from '../../projections/statement.ts';

const test = suite('statement: user rules with related');
const ACC = 'DE44-5001-0517';
const FEE_ID = '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e';
const fee = { EventType: 'account_fee_charged', SchemaVersion: 1, RequestId: FEE_ID, EventTimeStamp: 1714000000, Account: ACC, Amount: '5.00' } as unknown as DomainEvent;
const refund = { EventType: 'fee_refunded', SchemaVersion: 1, RequestId: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f', EventTimeStamp: 1714000100, Account: ACC, FeeRequestId: FEE_ID } as unknown as DomainEvent;

const feeRule: BalanceRule = {
  decide: (e) => ({ counters: [{ key: String(e['Account']), delta: -parseAmount(String(e['Amount'])) }], memo: { amount: String(e['Amount']) } }),
};
/** Credits back what its fee charged, read from the fee's memo. */
const refundRule: BalanceRule = {
  related: (e) => [`account_fee_charged_${String(e['FeeRequestId'])}`],
  decide: (e, related) => {
    const charged = related.get(`account_fee_charged_${String(e['FeeRequestId'])}`)?.memo?.['amount'];
    return { counters: [{ key: String(e['Account']), delta: typeof charged === 'string' ? parseAmount(charged) : 0n }] };
  },
};
const rules = { account_fee_charged: feeRule, fee_refunded: refundRule };

test('a rule with related on your own type is a statement line, read from the memo of the event it names, ending at the balance', () => {
  const state = foldEvents(createStatementProjection(rules), [fee, refund]);
  const lines = statementOf([...state.rows].map(([key, row]) => ({ key, value: row.value })));
  assert.equal(lines.map((l) => [l.type, l.amount]), [['account_fee_charged', '-5.00'], ['fee_refunded', '5.00']]);
  assert.is(lines.at(-1)?.balance, formatAmount(foldEvents(createBalancesProjection(rules), [fee, refund]).counters.get(ACC)!));
});

test('a built-in type whose rule has related keeps its statement lines', () => {
  const withdrawal: BalanceRule = { related: () => [], decide: (e) => ({ counters: [{ key: String(e['SourceAccount']), delta: -1n }] }) };
  assert.is(createStatementProjection({ cash_withdrawal: withdrawal }).handles({ EventType: 'cash_withdrawal' } as DomainEvent), true);
});

test('without a rule with related, the statement keeps no memo of your rules: its records stay what they were', () => {
  const state = foldEvents(createStatementProjection({ account_fee_charged: feeRule }), [fee]);
  assert.equal([...state.applied.values()].map((r) => r.memo), [null]);
});

test('changing a rule with related gives the statement another rules fingerprint', () => {
  const changed: BalanceRule = { ...refundRule, decide: (e, related) => refundRule.decide(e, related) };
  const fingerprint = (r: Record<string, BalanceRule>) => rulesFingerprint(createStatementProjection(r)).fingerprint;
  assert.is.not(fingerprint({ ...rules, fee_refunded: changed }), fingerprint(rules));
  assert.is.not(fingerprint(rules), fingerprint({ account_fee_charged: feeRule }));
});

test.run();
