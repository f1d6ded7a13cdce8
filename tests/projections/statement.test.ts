import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { balancesProjection } from '../../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import { formatAmount, parseAmount } from '../../domain/money.ts';
import { foldEvents } from '../../domain/projection.ts';
import { CREDIT_LEG, DEBIT_LEG, statementOf, statementProjection } from '../../projections/statement.ts';
import { SAMPLES } from '../support/samples.ts';
import { eventsWithDeliveries } from '../support/arbitraries.ts';

const test = suite('account statement projection');
const s = SAMPLES as Record<string, DomainEvent>;
const ACC = 'DE44-5001-0517';

function rowsOf(events: DomainEvent[]): Record<string, { partition: string; value: JsonObject }> {
  return Object.fromEntries([...foldEvents(statementProjection, events).rows].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function linesOf(events: DomainEvent[], account: string) {
  const rows = [...foldEvents(statementProjection, events).rows].filter(([, r]) => r.partition === account);
  return statementOf(rows.map(([key, r]) => ({ key, value: r.value })));
}

test('a deposit is one credit row keyed by its entry id, in its account partition', () => {
  const rows = rowsOf([s['cash_deposit']!]);
  const id = eventId(s['cash_deposit']!);
  assert.equal(Object.keys(rows), [id]);
  assert.is(rows[id]!.partition, ACC);
  assert.equal(rows[id]!.value, { account: ACC, ts: 1234567890, eventId: id, type: 'cash_deposit', amount: '123.45', reference: 'Some Free Form Text' });
});

test('a verification replaces its deposit amount in the same row, whatever the order', () => {
  const id = eventId(s['cash_deposit']!);
  const after = rowsOf([s['cash_deposit']!, s['verify_cash_deposit']!]);
  const before = rowsOf([s['verify_cash_deposit']!, s['cash_deposit']!]);
  assert.equal(Object.keys(after), [id]);
  assert.is(after[id]!.value['amount'], '123.40');
  assert.is(after[id]!.value['ts'], 1234567890);
  assert.equal(before, after);
});

test('a verification alone stands in for its deposit until the deposit arrives', () => {
  const rows = rowsOf([s['verify_cash_deposit']!]);
  const row = rows[eventId(s['cash_deposit']!)]!;
  assert.is(row.value['type'], 'verify_cash_deposit');
  assert.is(row.value['amount'], '123.40');
});

test('a withdrawal is a debit row with a negative amount', () => {
  assert.is(Object.values(rowsOf([s['cash_withdrawal']!]))[0]!.value['amount'], '-200.00');
});

test('a transfer has a debit leg in the source account and a credit leg in the target', () => {
  const id = eventId(s['inter_account_transfer']!);
  const rows = rowsOf([s['inter_account_transfer']!]);
  assert.equal(Object.keys(rows), [`${id}${CREDIT_LEG}`, `${id}${DEBIT_LEG}`]);
  assert.is(rows[`${id}${DEBIT_LEG}`]!.partition, ACC);
  assert.is(rows[`${id}${DEBIT_LEG}`]!.value['amount'], '-123.45');
  assert.is(rows[`${id}${CREDIT_LEG}`]!.partition, 'NL91-ABNA-0417');
});

test('statementOf sorts by event time and carries a running balance', () => {
  const lines = linesOf(Object.values(s), ACC);
  assert.equal(lines.map((l) => [l.ts, l.amount, l.balance]), [
    [1234567890, '123.40', '123.40'],
    [1234567990, '-200.00', '-76.60'],
    [1234568990, '123.45', '46.85'],
    [1234569990, '-123.45', '-76.60'],
  ]);
});

test('statement rows do not depend on delivery order or duplicates (1,000 cases)', () => {
  fc.assert(
    fc.property(eventsWithDeliveries, ([events, delivered]) => {
      assert.equal(rowsOf(delivered), rowsOf(events));
    }),
    { numRuns: 1000 },
  );
});

test('each account statement ends at the account balance of the balances projection (1,000 cases)', () => {
  fc.assert(
    fc.property(eventsWithDeliveries, ([events, delivered]) => {
      const balances = foldEvents(balancesProjection, events).counters;
      const totals = new Map<string, bigint>();
      for (const r of foldEvents(statementProjection, delivered).rows.values()) {
        totals.set(r.partition, (totals.get(r.partition) ?? 0n) + parseAmount(String(r.value['amount'])));
      }
      const nonZero = (m: Map<string, bigint>) => [...m].filter(([, v]) => v !== 0n).map(([k, v]) => [k, formatAmount(v)]).sort();
      assert.equal(nonZero(totals), nonZero(balances));
    }),
    { numRuns: 1000 },
  );
});

test.run();
