// Numeric options (`--keep`, `--accounts`, `--max-segment-events`, …) take decimal digits only: Number() alone read
// '' as 0, '1e2' as 100 and '0x10' as 16, so a typo silently became a limit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { wholeNumber } from '../../cli/options.ts';

test('decimal digits at or above the minimum are read as that number', () => {
  assert.is(wholeNumber('--keep', '12', 1), 12);
  assert.is(wholeNumber('--seed', '0', 0), 0);
});

test('anything but decimal digits is refused naming the option, even where Number() reads a number', () => {
  for (const text of ['', ' ', '1e2', '0x10', ' 5', '5 ', '-1', '2.0', '+3']) {
    const error = (() => { try { wholeNumber('--max-segment-events', text, 0); } catch (e) { return e; } })();
    assert.instance(error, InvalidArgumentError, `"${text}"`);
    assert.match((error as Error).message, '--max-segment-events');
  }
});

test('a number below the minimum is refused with the minimum in the message', () => {
  assert.throws(() => wholeNumber('--keep', '0', 1), (e: Error) => e instanceof InvalidArgumentError && /whole number >= 1/.test(e.message));
});

test.run();
