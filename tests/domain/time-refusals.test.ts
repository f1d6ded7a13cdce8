// Time arguments a user got wrong are refused saying what they are: milliseconds where seconds are expected (12 digits
// read as seconds were year 32970, and answered nothing), a time before 1970, and an empty range with ISO times.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseTime, parseTimeMs, rangeOf } from '../../domain/query-params.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('time arguments: refusals that say what is wrong');

const refusal = (fn: () => unknown) => thrown(fn, InvalidArgumentError);

test('12 digits of milliseconds are refused with their value in seconds, not read as the year 32970', () => {
  const e = refusal(() => parseTime('978307200000', '--since'));
  assert.is(e.argument, '--since');
  assert.match(e.message, '"978307200000" looks like milliseconds: in seconds that is 978307200 (2001-01-01T00:00:00Z)');
});

test('13 digits of milliseconds are refused with their value in seconds, not as "not a time"', () => {
  assert.match(refusal(() => parseTimeMs('1714000000123', '--from')).message, 'looks like milliseconds: in seconds that is 1714000000.123 (2024-04-24T23:06:40.123Z)');
});

test('epoch seconds past the log\'s end that are not milliseconds either are refused naming the end', () => {
  assert.match(refusal(() => parseTime('99999999999999999', '--until')).message, 'is after the log\'s end (4102444801, 2100-01-01T00:00:01Z)');
});

test('the log\'s end itself is a valid until', () => {
  assert.is(parseTime('4102444801', '--until'), 4_102_444_801);
});

test('a time before 1970 is refused as before the log\'s start, not as "not a time"', () => {
  const e = refusal(() => parseTime('1970-01-01T00:00:00+01:00', '--since'));
  assert.is(e.argument, '--since');
  assert.match(e.message, '"1970-01-01T00:00:00+01:00" is 1969-12-31T23:00:00Z, before 1970-01-01T00:00:00Z, the log\'s start');
  assert.match(refusal(() => parseTime('1969-12-31', 'since')).message, 'before 1970-01-01T00:00:00Z, the log\'s start');
});

test('an empty range names from and to with the flags that give them, in ISO times', () => {
  const e = refusal(() => rangeOf({ from: '2001-01-02', to: '2001-01-01' }, false));
  assert.is(e.argument, 'to');
  assert.match(e.message, 'to (--until) 2001-01-01T00:00:00Z must be after from (--since) 2001-01-02T00:00:00Z');
});

test('a from past the log\'s end with no to is refused naming from and the log\'s last second', () => {
  const e = refusal(() => rangeOf({ from: '2200-01-01' }, false));
  assert.is(e.argument, 'from');
  assert.match(e.message, 'from (--since) 2200-01-01T00:00:00Z is past the log\'s last second, 2100-01-01T00:00:00Z');
});

test('a from no Date can hold is refused as past the log\'s end, not a RangeError', () => {
  assert.match(refusal(() => rangeOf({ from: 9_000_000_000_000_000 }, false)).message, 'from (--since) epoch second 9000000000000000 is past the log\'s last second');
});

test.run();
