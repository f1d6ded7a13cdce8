// The cost of counting a call in flight (CloseGate.track) on the hot paths: an emit, a read and every step of a
// replay's iteration go through it. Counted in promises, which is deterministic where a timing is not: `finally` made
// four a call (100k guarded calls: ~100 -> ~300 ns a call, ~150 -> ~350 ns an iteration step), `then` makes one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHook } from 'node:async_hooks';
import { ClosedError } from '../../domain/errors.ts';
import { CloseGate, guardClosed } from '../../projections/closed-guard.ts';

class Port {
  async read(): Promise<number> {
    return 1;
  }

  async *scan(): AsyncGenerator<number> {
    for (let i = 0; ; i++) yield i;
  }
}

const CALLS = 10;

/** How many promises CALLS calls of `work`, one after the other, create (after one call to warm up). */
async function promisesMadeBy(work: () => Promise<unknown>): Promise<number> {
  await work();
  let made = 0;
  const hook = createHook({ init: (_id, type) => { if (type === 'PROMISE') made += 1; } });
  hook.enable();
  try {
    for (let i = 0; i < CALLS; i++) await work();
  } finally {
    hook.disable();
  }
  return made;
}

const gate = () => new CloseGate(() => new ClosedError('the test lake', 'open it again'));

const test = suite('closed guard: counting a call in flight costs one promise');

test('a guarded call makes one promise more than the same call unguarded', async () => {
  const raw = new Port();
  const guarded = guardClosed(new Port(), gate());
  const unguardedCost = await promisesMadeBy(() => raw.read());
  assert.is(await promisesMadeBy(() => guarded.read()), unguardedCost + CALLS);
});

test('a guarded iteration step makes one promise more than the same step unguarded', async () => {
  const raw = new Port().scan();
  const guarded = guardClosed(new Port(), gate()).scan()[Symbol.asyncIterator]();
  const unguardedCost = await promisesMadeBy(() => raw.next());
  assert.is(await promisesMadeBy(() => guarded.next()), unguardedCost + CALLS);
});

test('an error of a guarded call still reaches its caller unchanged', async () => {
  const boom = new Error('boom');
  const port = guardClosed({ fail: async () => { throw boom; } }, gate());
  let caught: unknown;
  await port.fail().catch((error: unknown) => { caught = error; });
  assert.is(caught, boom);
});

test.run();
