// Time arguments and ranges of queries: ISO-8601 or epoch seconds, always UTC, half-open.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { LOG_END, hourKey, listValue, parseTime, rangeOf, rangeValues, replayParams } from '../../domain/query-params.ts';

const isInvalid = (e: unknown) => e instanceof InvalidArgumentError;
const test = suite('query parameters');

test('epoch seconds are accepted as numbers and as digit strings', () => {
  assert.is(parseTime(1_709_802_000, 'since'), 1_709_802_000);
  assert.is(parseTime(' 1709802000 ', 'since'), 1_709_802_000);
});

test('ISO-8601 times are read in their zone, and as UTC when they have none', () => {
  assert.is(parseTime('2024-03-07T09:00:00Z', 'since'), 1_709_802_000);
  assert.is(parseTime('2024-03-07T10:00:00+01:00', 'since'), 1_709_802_000);
  assert.is(parseTime('2024-03-07T09:00', 'since'), 1_709_802_000);
  assert.is(parseTime('2024-03-07 09:00:00', 'since'), 1_709_802_000);
  assert.is(parseTime('2024-03-07', 'since'), 1_709_769_600);
});

test('anything else is an InvalidArgumentError naming the argument', () => {
  for (const bad of ['yesterday', '2024-13-45', '-5', '', '1.5']) {
    assert.throws(() => parseTime(bad, 'until'), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'until', bad);
  }
  assert.throws(() => parseTime(-1, 'since'), isInvalid);
  assert.throws(() => parseTime(1.5, 'since'), isInvalid);
});

test('a range is half-open and must not be empty', () => {
  assert.equal(rangeOf({ since: 10, until: 20 }, true), { from: 10, to: 20 });
  assert.throws(() => rangeOf({ since: 20, until: 20 }, true), isInvalid);
});

test('missing ends default to the whole log, and far ends are clamped to it', () => {
  assert.equal(rangeOf({}, false), { from: 0, to: LOG_END });
  assert.equal(rangeOf({ to: 99_999_999_999 }, false), { from: 0, to: LOG_END });
});

test('the last hour of a range ending on an hour boundary is the one before it', () => {
  assert.equal(rangeValues({ from: 1_709_802_000, to: 1_709_809_200 }), ['2024', '2024', '2024030709', '2024030710', 1_709_802_000, 1_709_809_200]);
  assert.is(hourKey(LOG_END - 1), '2100010100');
});

test('list values are wrapped in commas for strpos, and empty means any', () => {
  assert.is(listValue('a,b', 'type'), ',a,b,');
  assert.is(listValue(undefined, 'type'), '');
  assert.throws(() => listValue('a,,b', 'type'), isInvalid);
});

test('eventsBetween filters bind without their empty names, and a list of only empty names matches nothing (undefined)', () => {
  assert.equal(replayParams({ from: 1, to: 2, types: ['', 'cash_deposit', 'incoming_payment'], accounts: ['A-1', ''] }),
    { from: 1, to: 2, type: 'cash_deposit,incoming_payment', account: 'A-1' });
  assert.equal(replayParams({ from: 1, to: 2, types: [], accounts: [] }), { from: 1, to: 2 });
  assert.is(replayParams({ from: 1, to: 2, types: [''] }), undefined);
  assert.is(replayParams({ from: 1, to: 2, types: ['cash_deposit'], accounts: ['', ''] }), undefined);
});

test.run();
