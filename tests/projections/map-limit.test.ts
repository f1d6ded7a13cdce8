// mapLimit: bounded concurrency for the adapters' fan-out calls (S3, DynamoDB, the log-against-index check).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mapLimit } from '../../projections/map-limit.ts';
import { rejects } from '../support/async.ts';

const test = suite('mapLimit');
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('results come back in input order whatever order the calls finish in', async () => {
  const out = await mapLimit([30, 10, 20, 0], 4, async (n) => {
    for (let i = 0; i < n; i++) await tick();
    return n * 2;
  });
  assert.equal(out, [60, 20, 40, 0]);
});

test('never more than `limit` calls are in flight', async () => {
  let inFlight = 0;
  let most = 0;
  await mapLimit(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
    most = Math.max(most, ++inFlight);
    for (let k = 0; k < (i % 4); k++) await tick();
    inFlight--;
  });
  assert.is(most, 3);
});

test('after a call fails no new call starts, and the error comes once the started ones have settled', async () => {
  const started: number[] = [];
  let settled = 0;
  const error = await rejects(() => mapLimit(Array.from({ length: 10 }, (_, i) => i), 2, async (i) => {
    started.push(i);
    if (i === 1) throw new Error('call 1 failed');
    for (let k = 0; k < 5; k++) await tick();
    settled++;
  }), Error);
  assert.is(error.message, 'call 1 failed');
  assert.equal(started, [0, 1]);
  assert.is(settled, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(started, [0, 1]);
});

test.run();
