// `eventlake run` stopped by SIGTERM/SIGINT (its dispatchLoop's stop) ends promptly: during a catch-up that never ends
// (another process emits faster than this one dispatches) it closes the eventlake, which stops that catch-up at its
// next batch, and during the wait of a long --interval it does not sleep the rest of it. It waited for both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CatchUpReport } from '../../adapters/local/local-eventlake.ts';
import { dispatchLoop } from '../../cli/commands/run.ts';
import { settlesWithin } from '../support/async.ts';

const NOTHING: CatchUpReport = { indexed: 0, dispatched: 0, deadLettered: 0 };

/** An eventlake whose catch-up ends only when close() is called, as a local runtime's does behind a faster writer. */
function lakeBehindFasterWriter() {
  let cut!: () => void;
  const closed = new Promise<void>((resolve) => { cut = resolve; });
  return {
    catchUps: 0,
    async catchUp(): Promise<CatchUpReport> {
      this.catchUps += 1;
      await closed;
      return NOTHING;
    },
    async close(): Promise<void> { cut(); },
  };
}

/** An eventlake whose catch-ups find nothing to do. */
function idleLake() {
  return { catchUps: 0, async catchUp() { this.catchUps += 1; return NOTHING; }, async close() {} };
}

const test = suite('eventlake run: stopping');

test('a stop during a catch-up that only close() ends returns, with no catch-up after it', async () => {
  const lake = lakeBehindFasterWriter();
  const loop = dispatchLoop(lake, 10, () => undefined);
  await sleep(20);
  loop.stop();
  assert.ok(await settlesWithin(loop.done, 5_000), 'the loop had not ended');
  assert.is(lake.catchUps, 1);
});

test('a stop during the wait of a long --interval ends the loop at once', async () => {
  const lake = idleLake();
  const loop = dispatchLoop(lake, 60_000, () => undefined);
  await sleep(20);
  loop.stop();
  assert.ok(await settlesWithin(loop.done, 2_000), 'the loop slept the rest of its interval');
  assert.is(lake.catchUps, 1);
});

test.run();
