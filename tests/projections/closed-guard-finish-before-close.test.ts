// close() waits for the port iterator's `finally` that a step refused after close() started while close() was still
// waiting for other calls: that finally releases what the iteration holds (a statement, a lease) through the resources
// close() then closes, and run after them it met a closed database and released nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClosedError } from '../../domain/errors.ts';
import { CloseGate, guardClosed } from '../../projections/closed-guard.ts';
import { rejects } from '../support/async.ts';

/** A port whose scan releases, in its `finally`, what it holds through a resource that takes a while to answer. */
class Port {
  resourceOpen = true;
  releasedOnOpenResource = false;
  private answer: (() => void) | undefined;

  /** A call in flight until `answerSlowCall()`. */
  slowCall(): Promise<void> {
    return new Promise((resolve) => { this.answer = resolve; });
  }

  answerSlowCall(): void {
    this.answer?.();
  }

  async *scan(): AsyncGenerator<number> {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      await sleep(30);
      this.releasedOnOpenResource = this.resourceOpen;
    }
  }
}

const test = suite('closed guard: close() waits for the finally of an iteration it cut short');

test('a port generator\'s finally started by a step refused while close() waits for another call runs before close() resolves', async () => {
  const port = new Port();
  const state = new CloseGate(() => new ClosedError('the test lake', 'open it again'));
  const guarded = guardClosed(port, state);
  const scan = guarded.scan()[Symbol.asyncIterator]();
  await scan.next();
  const slow = guarded.slowCall();
  // What a runtime's close() does: wait for the calls in flight, then close the resources.
  const closing = state.close().then(() => { port.resourceOpen = false; });
  const refused = rejects(() => scan.next(), ClosedError);
  port.answerSlowCall();
  await slow;
  await closing;
  assert.ok(port.releasedOnOpenResource, 'the finally ran after close() had closed the resource');
  await refused;
});

test.run();
