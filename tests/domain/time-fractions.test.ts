// A fraction of a second in a time argument rounds up: events have whole seconds, so a since (inclusive) at 59.5
// takes t >= 60 and an until (exclusive) at 00.5 takes t <= 00. Walkthrough: both were cut down, so a since took in
// the second before it and an until lost the second it was in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseTime, rangeOf } from '../../domain/query-params.ts';

const test = suite('time arguments: fractions of a second');

const T = 978_310_800; // 2001-01-01T01:00:00Z

test('a fraction of a second rounds up to the next whole second', () => {
  assert.is(parseTime('2001-01-01T00:59:59.5Z', '--since'), T);
  assert.is(parseTime('2001-01-01T01:00:00.001Z', '--until'), T + 1);
});

test('a whole second stays that second', () => {
  assert.is(parseTime('2001-01-01T01:00:00.000Z', '--since'), T);
  assert.is(parseTime(String(T), '--since'), T);
});

test('a range whose bounds are less than a second apart is answered empty, not refused as swapped', () => {
  const r = rangeOf({ from: '2001-01-01T00:59:59.2Z', to: '2001-01-01T00:59:59.7Z' }, false);
  assert.equal(r, { from: T, to: T });
});

test('bounds that are swapped by a fraction of a second are still refused', () => {
  assert.throws(() => rangeOf({ from: '2001-01-01T00:59:59.7Z', to: '2001-01-01T00:59:59.2Z' }, false), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'to');
});

test.run();
