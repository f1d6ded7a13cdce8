// maxFutureSkewSeconds: Infinity, a JS caller's way to take no limit on future-dated events (a schedule imported
// ahead of time), loads and accepts any future EventTimeStamp, as it did before 4238efa refused every value that is
// not finite along with NaN, which is the one that refused every event.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { variant } from '../support/samples.ts';

const test = suite('registry options: maxFutureSkewSeconds without a limit');

const NOW = 1_700_000_000;

test('maxFutureSkewSeconds: Infinity loads and accepts an event dated fifty years ahead', () => {
  const registry = SchemaRegistry.load({ maxFutureSkewSeconds: Infinity, now: () => NOW });
  const event = registry.validate(variant('cash_deposit', { EventTimeStamp: NOW + 50 * 365 * 86_400 }));
  assert.is(event.EventTimeStamp, NOW + 50 * 365 * 86_400);
});

test('maxFutureSkewSeconds: NaN is still refused naming the option', () => {
  assert.throws(() => SchemaRegistry.load({ maxFutureSkewSeconds: Number.NaN }), (e: unknown) => e instanceof InvalidArgumentError && e.message === 'maxFutureSkewSeconds: NaN is not a number of seconds >= 0: give how far ahead of the clock an EventTimeStamp may be, e.g. 86400 (the default, one day), or Infinity for no limit');
});

test.run();
