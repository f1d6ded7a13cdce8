import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { amountCents, formatAmount, isAmount, parseAmount } from '../../domain/money.ts';

const test = suite('money');

test('parses two-decimal strings into exact cents', () => {
  assert.is(parseAmount('123.45'), 12345n);
  assert.is(parseAmount('0.05'), 5n);
  assert.is(parseAmount('-200.00'), -20000n);
  assert.is(parseAmount('999999999999999.99'), 99999999999999999n);
});

test('rejects anything that is not exactly two decimals', () => {
  for (const bad of ['1', '1.2', '1.234', '1e3', ' 1.00', '', '1,00', 'NaN']) {
    assert.throws(() => parseAmount(bad), RangeError, bad);
    assert.is(isAmount(bad), false);
  }
});

test('formats cents with two decimals and a sign', () => {
  assert.is(formatAmount(12340n), '123.40');
  assert.is(formatAmount(-5n), '-0.05');
  assert.is(formatAmount(0n), '0.00');
});

test('format and parse round-trip every amount exactly', () => {
  fc.assert(fc.property(fc.bigInt({ min: -(10n ** 17n) + 1n, max: 10n ** 17n - 1n }), (cents) => parseAmount(formatAmount(cents)) === cents), { numRuns: 1000 });
});

test('sums of many cents stay exact where floats drift', () => {
  let cents = 0n;
  for (let i = 0; i < 1000; i++) cents += parseAmount('0.10');
  assert.is(formatAmount(cents), '100.00');
});

test('amountCents reads the same cents as parseAmount, as a number below 10^13 units and a bigint above', () => {
  const text = fc.oneof(
    fc.bigInt({ min: -(10n ** 17n) + 1n, max: 10n ** 17n - 1n }).map(formatAmount),
    fc.stringMatching(/^-?\d{0,17}\.?\d{0,3}$/),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('-0.00', '0.00', '1234567890123.45', '12345678901234.56', '999999999999999.99', '1000000000000000.00', '١.٠٠', '1.0\n', '+1.00', '-.00', '1.'),
  );
  fc.assert(fc.property(text, (t) => {
    const cents = amountCents(t);
    if (!isAmount(t)) return cents === undefined;
    const digits = t.replace('-', '').indexOf('.');
    return BigInt(cents!) === parseAmount(t) && typeof cents === (digits > 13 ? 'bigint' : 'number');
  }), { numRuns: 3000 });
});

test.run();
