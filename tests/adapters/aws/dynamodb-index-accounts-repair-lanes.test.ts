// eachLimit, the lanes the accounts repair reads objects in: a stream handled a few items at a time, an item pulled
// only when a lane is free, and the first failure thrown once the started calls settle, the stream closed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eachLimit } from '../../../adapters/aws/each-limit.ts';
import { rejects } from '../../support/async.ts';

const tick = () => new Promise((resume) => setTimeout(resume, 1));

/** A stream of 0…n-1 that counts the items pulled and whether it was closed. */
function counted(n: number) {
  const stats = { pulled: 0, closed: false };
  async function* items() {
    try {
      for (let i = 0; i < n; i++) {
        stats.pulled++;
        yield i;
      }
    } finally {
      stats.closed = true;
    }
  }
  return { items: items(), stats };
}

const test = suite('eachLimit');

test('every item is handled once, with never more than limit calls in flight', async () => {
  const { items } = counted(20);
  const seen: number[] = [];
  let inFlight = 0;
  let most = 0;
  await eachLimit(items, 3, async (i) => {
    most = Math.max(most, ++inFlight);
    await tick();
    seen.push(i);
    inFlight--;
  });
  assert.equal(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.is(most, 3);
});

test('an item is pulled only when a lane is free: items pulled and not yet settled never exceed limit', async () => {
  const { items, stats } = counted(20);
  let settled = 0;
  let most = 0;
  await eachLimit(items, 3, async () => {
    most = Math.max(most, stats.pulled - settled);
    await tick();
    settled++;
  });
  assert.is(most, 3);
});

test('the first failure is thrown after the calls in flight settle, no item is pulled after it, and the stream is closed', async () => {
  const { items, stats } = counted(100);
  let inFlight = 0;
  const error = await rejects(() => eachLimit(items, 4, async (i) => {
    inFlight++;
    await tick();
    inFlight--;
    if (i === 5) throw new Error('GET failed');
  }), Error);
  assert.is(error.message, 'GET failed');
  assert.is(inFlight, 0, 'a call was still running when the failure was thrown');
  assert.ok(stats.pulled < 10, `${stats.pulled} items pulled`);
  assert.ok(stats.closed);
});

test('a failure of the stream itself is thrown', async () => {
  async function* failing() {
    yield 1;
    throw new Error('Query failed');
  }
  const error = await rejects(() => eachLimit(failing(), 2, async () => { await tick(); }), Error);
  assert.is(error.message, 'Query failed');
});

test.run();
