// serve looks for new dead letters after responses, at most once per interval: a burst of requests costs one look
// at once and one after the interval, not one per request.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { everyFewMoments } from '../../cli/every-few-moments.ts';

test('a burst of calls runs the check once at once and once more after the interval', async () => {
  let runs = 0;
  const hook = everyFewMoments(50, async () => { runs++; });
  for (let i = 0; i < 100; i++) await hook();
  assert.is(runs, 1);
  await sleep(120);
  assert.is(runs, 2);
});

test('a check that throws does not fail the caller, and later calls still run it', async () => {
  let runs = 0;
  const hook = everyFewMoments(10, async () => { runs++; throw new Error('store unreadable'); });
  await hook();
  await sleep(30);
  await hook();
  await sleep(5);
  assert.is(runs, 2);
});

test.run();
