import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { DomainEvent } from '../../domain/event.ts';
import { breakdownTotal, checkDomainRules } from '../../domain/rules.ts';
import { formatAmount, isAmount, parseAmount } from '../../domain/money.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('domain rules');

/** The rule as first written, all in bigints: the reference the number fast path must agree with. */
function referenceIssues(event: DomainEvent, field: string): string[] {
  const amount = event['Amount'];
  const breakdown = event[field];
  if (typeof amount !== 'string' || !isAmount(amount) || !breakdown || typeof breakdown !== 'object') return [];
  const total = breakdownTotal(breakdown as Record<string, unknown>);
  return total !== undefined && total !== parseAmount(amount) ? [`adds up to ${formatAmount(total)} but Amount is ${amount}`] : [];
}

test('a breakdown that adds up to Amount passes and one that does not is named, whatever the sizes', () => {
  const key = fc.oneof(fc.constantFrom('500-euro-bills', '1-cents', '9999-euro-bills', '0001-cents', '2-euro-coins', '5-dollars', '10000-cents'), fc.string({ maxLength: 5 }));
  const count = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1.5, 1e20, 90_071_992_547_409), fc.integer());
  const amount = fc.oneof(fc.bigInt({ min: -(10n ** 17n) + 1n, max: 10n ** 17n - 1n }).map(formatAmount), fc.constantFrom('0.00', '-0.00', '12.3', '999999999999999.99'));
  fc.assert(fc.property(fc.constantFrom('cash_deposit', 'cash_withdrawal', 'verify_cash_deposit'), fc.dictionary(key, count, { maxKeys: 6 }), amount, fc.boolean(), (type, breakdown, amt, matching) => {
    const field = type === 'verify_cash_deposit' ? 'VerifiedCurrency' : 'Currency';
    const total = breakdownTotal(breakdown);
    // Half the time, Amount is the breakdown's own total, so both outcomes are exercised.
    const text = matching && total !== undefined && total > -(10n ** 17n) && total < 10n ** 17n ? formatAmount(total) : amt;
    const event = { ...SAMPLES[type]!, Amount: text, [field]: breakdown } as DomainEvent;
    assert.equal(checkDomainRules(event).map((i) => i.reason), referenceIssues(event, field));
  }), { numRuns: 3000 });
});

test('a total beyond 2^53 cents is still compared exactly', () => {
  const breakdown = { '9999-euro-bills': 90_071_992_547, '1-cents': 1 }; // 9 007 199 254 630 700 + 1 cents
  const exact = formatAmount(breakdownTotal(breakdown)!);
  const event = (amount: string) => ({ ...SAMPLES['cash_deposit']!, Amount: amount, Currency: breakdown }) as DomainEvent;
  assert.equal(checkDomainRules(event(exact)), []);
  const [units, cents] = exact.split('.') as [string, string];
  const offByOne = `${units}.${String(Number(cents) + 1).padStart(2, '0')}`;
  assert.is(checkDomainRules(event(offByOne)).length, 1);
});

test('a transfer to the same account is refused', () => {
  const same = { ...SAMPLES['inter_account_transfer']!, TargetAccount: SAMPLES['inter_account_transfer']!['SourceAccount'] } as DomainEvent;
  assert.equal(checkDomainRules(same).map((i) => i.pointer), ['/TargetAccount']);
});

test.run();
