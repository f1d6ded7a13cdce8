// `eventlake serve` stopped by SIGTERM/SIGINT (stopServing, whose grace stopServingWithin sets) while a request waits
// for a catch-up that never ends (another process emits faster than this one dispatches) still stops: after a grace
// for the requests in flight it closes the eventlake, which stops that catch-up at its next batch. It waited for the
// server to close first, which waited for that request, so the server never stopped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stopServingWithin } from '../../cli/commands/serve.ts';
import { settlesWithin } from '../support/async.ts';

/**
 * A server with one request in flight whose catch-up ends only when the eventlake's close() is called (as a local
 * runtime's does), and that eventlake; `calls` records the order of what stopServing did.
 */
function requestWaitingForEndlessCatchUp() {
  const calls: string[] = [];
  let cut!: () => void;
  const catchUpCut = new Promise<void>((resolve) => { cut = resolve; });
  const app = { close: async () => { calls.push('server closing'); await catchUpCut; calls.push('request answered'); } };
  const local = { close: async () => { calls.push('eventlake closing'); cut(); } };
  return { app, local, calls };
}

/** A server whose request in flight is answered after `ms`, whatever the eventlake does. */
function requestAnsweredAfter(ms: number) {
  const calls: string[] = [];
  const app = { close: async () => { await new Promise((resolve) => setTimeout(resolve, ms)); calls.push('request answered'); } };
  const local = { close: async () => { calls.push('eventlake closing'); } };
  return { app, local, calls };
}

const test = suite('eventlake serve: stopping while a request\'s catch-up never ends');

test('stopServing returns when the request in flight waits for a catch-up that only close() stops', async () => {
  const { app, local, calls } = requestWaitingForEndlessCatchUp();
  assert.ok(await settlesWithin(stopServingWithin(app, local, 50), 5_000), `stopServing had not returned: ${calls.join(', ')}`);
  assert.equal(calls, ['server closing', 'eventlake closing', 'request answered']);
});

test('a request in flight that ends within the grace is answered before the eventlake closes', async () => {
  const { app, local, calls } = requestAnsweredAfter(20);
  await stopServingWithin(app, local, 2_000);
  assert.equal(calls, ['request answered', 'eventlake closing']);
});

test.run();
