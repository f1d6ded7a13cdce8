// `--compact-after-hours` and `--compact-every` (serve, run; archive run for the first) are read by the shared
// wholeNumber, as every count option is: digits only, a safe integer, and a refusal naming the unit and the least value.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCompactAfterHours, parseCompactEvery } from '../../cli/background-compaction.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('--compact-after-hours and --compact-every: whole numbers');
const refusal = (fn: () => unknown) => thrown(fn, InvalidArgumentError).message;

test('--compact-after-hours refuses a count past 2^53 (read as 1e20 h, an hour never due) naming the option', () => {
  assert.is(refusal(() => parseCompactAfterHours('99999999999999999999')), '--compact-after-hours: 99999999999999999999 is not a whole number of hours >= 0');
});

test('a bad --compact-after-hours is refused in hours, with the least value', () => {
  for (const text of ['-1', '1e1', ' ', '1.0']) {
    assert.is(refusal(() => parseCompactAfterHours(text)), `--compact-after-hours: ${text} is not a whole number of hours >= 0`);
  }
  assert.is(refusal(() => parseCompactAfterHours('')), '--compact-after-hours: "" is not a whole number of hours >= 0');
});

test('a bad --compact-every is refused in minutes, with the least value (an empty one shown as "")', () => {
  for (const text of ['-1', '1e1', ' ', '0x10']) {
    assert.is(refusal(() => parseCompactEvery(text)), `--compact-every: ${text} is not a whole number of minutes >= 0`);
  }
  assert.is(refusal(() => parseCompactEvery('')), '--compact-every: "" is not a whole number of minutes >= 0');
});

test('0 stays a value of both: compact after the hour ends, and never in the background', () => {
  assert.equal([parseCompactAfterHours('0'), parseCompactEvery('0')], [0, 0]);
});

test.run();
