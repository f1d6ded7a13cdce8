import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { amountOf, balancesProjection, createBalancesProjection } from '../../domain/balances.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { formatAmount, parseAmount } from '../../domain/money.ts';
import { applyToState, emptyState, foldEvents } from '../../domain/projection.ts';
import { SAMPLES } from '../support/samples.ts';
import { eventSets, eventsWithDeliveries } from '../support/arbitraries.ts';
import { differentialParams, distinctSequences } from '../projections/balance-fold-differential-cases.ts';

const test = suite('balance folding rules');
const s = SAMPLES as Record<string, DomainEvent>;

function balancesOf(events: DomainEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of [...foldEvents(balancesProjection, events).counters].sort()) out[k] = formatAmount(v);
  return out;
}

test('a deposit credits its target account', () => {
  assert.equal(balancesOf([s['cash_deposit']!]), { 'DE44-5001-0517': '123.45' });
});

test('a verification replaces its deposit amount: 123.45 verified at 123.40 leaves +123.40', () => {
  assert.equal(balancesOf([s['cash_deposit']!, s['verify_cash_deposit']!]), { 'DE44-5001-0517': '123.40' });
});

test('a verification delivered before its deposit ends the same', () => {
  assert.equal(balancesOf([s['verify_cash_deposit']!, s['cash_deposit']!]), { 'DE44-5001-0517': '123.40' });
});

test('a deposit verified into another account: the deposit\'s account shows 0.00 in either order, never absent in one', () => {
  const verification = { ...s['verify_cash_deposit']!, TargetAccount: 'NL91-ABNA-0417' };
  const expected = { 'DE44-5001-0517': '0.00', 'NL91-ABNA-0417': '123.40' };
  assert.equal(balancesOf([s['cash_deposit']!, verification]), expected);
  assert.equal(balancesOf([verification, s['cash_deposit']!]), expected);
});

test('a withdrawal debits its source account and balances may go negative', () => {
  assert.equal(balancesOf([s['cash_withdrawal']!]), { 'DE44-5001-0517': '-200.00' });
});

test('an incoming payment credits the TargetAccount, not the remote SourceAccount', () => {
  assert.equal(balancesOf([s['incoming_payment']!]), { 'DE44-5001-0517': '123.45' });
});

test('a transfer debits the source and credits the target', () => {
  assert.equal(balancesOf([s['inter_account_transfer']!]), { 'DE44-5001-0517': '-123.45', 'NL91-ABNA-0417': '123.45' });
});

test('replaying the same event twice changes nothing', () => {
  const state = emptyState();
  assert.is(applyToState(state, balancesProjection, s['cash_deposit']!), 'applied');
  assert.is(applyToState(state, balancesProjection, s['cash_deposit']!), 'duplicate');
  assert.is(state.counters.get('DE44-5001-0517'), 12345n);
});

test('an event type the projection does not handle is skipped, not failed', () => {
  const state = emptyState();
  const other = { ...s['cash_deposit']!, EventType: 'outgoing_payment' };
  assert.is(applyToState(state, balancesProjection, other), 'skipped');
  assert.is(state.counters.size, 0);
});

test('extra rules fold user event types', () => {
  const projection = createBalancesProjection({
    outgoing_payment: { decide: (e) => ({ counters: [{ key: String(e['SourceAccount']), delta: -parseAmount(String(e['Amount'])) }] }) },
  });
  const out = { ...s['cash_withdrawal']!, EventType: 'outgoing_payment', Currency: undefined };
  assert.equal([...foldEvents(projection, [out]).counters], [['DE44-5001-0517', -20000n]]);
});

test('final balances do not depend on delivery order or duplicates (1,000 cases)', () => {
  fc.assert(
    fc.property(eventsWithDeliveries, ([events, delivered]) => {
      assert.equal(balancesOf(delivered), balancesOf(events));
    }),
    { numRuns: 1000 },
  );
});

test('folding with the identities given (knownId) ends exactly as folding without them, duplicates included (1,000 cases)', () => {
  fc.assert(
    fc.property(eventsWithDeliveries, ([, delivered]) => {
      const plain = emptyState();
      const given = emptyState();
      for (const e of delivered) {
        assert.is(applyToState(given, balancesProjection, e, eventId(e)), applyToState(plain, balancesProjection, e));
      }
      assert.equal(given, plain);
    }),
    { numRuns: 1000 },
  );
});

test('every verification delivered before its deposit still leaves the verified amount (1,000 cases)', () => {
  fc.assert(
    fc.property(eventSets, (events) => {
      const verificationsFirst = [...events].sort((a, b) => Number(b.EventType === 'verify_cash_deposit') - Number(a.EventType === 'verify_cash_deposit'));
      assert.equal(balancesOf(verificationsFirst), balancesOf(events));
    }),
    { numRuns: 1000 },
  );
});

// Unlike eventSets, these verify into any account and reach the schema's amount edges.
test('balances, accounts included, do not depend on delivery order, for any events (property)', () => {
  fc.assert(fc.property(distinctSequences().chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length }))), ([events, shuffled]) => {
    assert.equal([...foldEvents(balancesProjection, shuffled).counters].sort(), [...foldEvents(balancesProjection, events).counters].sort());
  }), differentialParams(1000));
});

test('the sum of all balances equals deposits (as verified) plus payments minus withdrawals (1,000 cases)', () => {
  fc.assert(
    fc.property(eventSets, (events) => {
      const verified = new Map(events.filter((e) => e.EventType === 'verify_cash_deposit').map((e) => [e.RequestId, parseAmount(String(e['Amount']))]));
      let expected = 0n;
      for (const e of events) {
        const a = parseAmount(String(e['Amount']));
        if (e.EventType === 'cash_deposit') expected += verified.get(e.RequestId) ?? a;
        else if (e.EventType === 'incoming_payment') expected += a;
        else if (e.EventType === 'cash_withdrawal') expected -= a;
      }
      const total = [...foldEvents(balancesProjection, events).counters.values()].reduce((x, y) => x + y, 0n);
      assert.is(total, expected);
    }),
    { numRuns: 1000 },
  );
});

test('amountOf equals parseAmount and formatAmount for any amount text, leading zeros and signs included (property)', () => {
  const digits = fc.stringMatching(/^[0-9]{1,15}$/);
  const text = fc.oneof(
    fc.tuple(fc.constantFrom('', '-'), digits, fc.stringMatching(/^[0-9]{2}$/)).map(([sign, units, cents]) => `${sign}${units}.${cents}`),
    fc.string({ maxLength: 18 }),
  );
  fc.assert(fc.property(text, (amount) => {
    const event = { ...s['incoming_payment']!, Amount: amount };
    let expected: { cents: bigint; text: string } | string;
    try {
      const cents = parseAmount(amount);
      expected = { cents, text: formatAmount(cents) };
    } catch (error) {
      expected = (error as Error).constructor.name;
    }
    let actual: { cents: bigint; text: string } | string;
    try {
      actual = { ...amountOf(event) };
    } catch (error) {
      actual = (error as Error).constructor.name;
    }
    assert.equal(actual, expected);
  }), { numRuns: 2000 });
});

test('a deposit memo carries the canonical amount text even when the event writes leading zeros', () => {
  const deposit = { ...s['cash_deposit']!, Amount: '0123.45' };
  const changes = balancesProjection.decide(deposit, new Map());
  assert.is(changes.memo?.['amount'], '123.45');
  assert.equal(changes.counters, [{ key: 'DE44-5001-0517', delta: 12345n }]);
});

test.run();
