// Time arguments whose calendar fields name no instant: an impossible day (Date.parse rolls it over to the next
// month, silently) and a leap second (which epoch seconds cannot hold). Each is refused, naming the argument, the
// value and the fix, never read as another time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseTime, rangeOf } from '../../domain/query-params.ts';

const test = suite('time arguments: calendar fields');

/** The InvalidArgumentError `fn` throws (the test fails when it returns). */
function refusal(fn: () => unknown): InvalidArgumentError {
  try {
    const value = fn();
    assert.unreachable(`expected an InvalidArgumentError, got ${String(value)}`);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('unreachable');
}

test('a day past its month\'s end is refused, not rolled over to the next month', () => {
  const e = refusal(() => parseTime('2024-02-30', '--since'));
  assert.is(e.argument, '--since');
  assert.is(e.message, '--since: "2024-02-30" is not a calendar date: February 2024 has 29 days, so give a day from 01 to 29 ' +
    '(its last day is 2024-02-29, the day after it 2024-03-01)');
});

test('February 29th of a year that is not a leap year is refused, naming 28 days', () => {
  assert.match(refusal(() => parseTime('2023-02-29', 'since')).message, 'February 2023 has 28 days');
  assert.match(refusal(() => parseTime('2100-02-29', 'since')).message, 'February 2100 has 28 days');
});

test('the 31st of a 30-day month is refused, with a time and a zone as without', () => {
  for (const value of ['2024-04-31', '2024-04-31T09:30Z', '2024-04-31 09:30:00', '2024-04-31T09:30:00+02:00']) {
    assert.match(refusal(() => parseTime(value, 'until')).message, 'is not a calendar date: April 2024 has 30 days', value);
  }
});

test('day 00 and months 00 and 13 are refused as not calendar dates, naming the valid range', () => {
  assert.match(refusal(() => parseTime('2024-01-00', 'at')).message, '"2024-01-00" is not a calendar date: January 2024 has 31 days, so give a day from 01 to 31');
  assert.match(refusal(() => parseTime('2024-13-01', 'at')).message, '"2024-13-01" is not a calendar date: month 13 does not exist, so give a month from 01 to 12');
  assert.match(refusal(() => parseTime('2024-00-10', 'at')).message, 'month 00 does not exist');
});

test('the last day of every month, and February 29th of leap years, are still read', () => {
  assert.is(parseTime('2024-02-29', 'since'), 1_709_164_800);
  assert.is(parseTime('2000-02-29T00:00:00Z', 'since'), 951_782_400);
  assert.is(parseTime('2024-04-30', 'since'), 1_714_435_200);
  assert.is(parseTime('2024-12-31T23:59:59Z', 'since'), 1_735_689_599);
});

test('24:00 (the end of a day, as ISO-8601 allows) is still the next day\'s midnight', () => {
  assert.is(parseTime('2024-03-07T24:00Z', 'until'), parseTime('2024-03-08', 'until'));
});

test('a leap second is refused saying epoch seconds have none, and suggests second 59', () => {
  const e = refusal(() => parseTime('2016-12-31T23:59:60Z', '--until'));
  assert.is(e.message, '--until: "2016-12-31T23:59:60Z" is a leap second (second 60), and epoch seconds have no leap second: ' +
    'give 2016-12-31T23:59:59Z, the second before it');
});

test('a leap second\'s suggestion keeps the value\'s own form and zone, without its fraction', () => {
  assert.match(refusal(() => parseTime('2016-12-31 23:59:60', 'since')).message, 'give 2016-12-31 23:59:59,');
  assert.match(refusal(() => parseTime('2017-01-01T00:59:60.5+01:00', 'since')).message, 'give 2017-01-01T00:59:59+01:00,');
});

test('a range refuses an impossible date at either end, naming that end', () => {
  assert.is(refusal(() => rangeOf({ since: '2023-02-29' }, false)).argument, 'from');
  assert.is(refusal(() => rangeOf({ since: '2024-03-01', until: '2024-04-31' }, false)).argument, 'to');
});

test.run();
