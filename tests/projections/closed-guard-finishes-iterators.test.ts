// An iteration of a closed runtime's port ends the port's own iterator: a `for await` cut short by close(), or left with
// a break after it, runs the port generator's `finally`, so whatever it holds between items (a statement, a file
// handle, a lease) is released instead of left to the garbage collector.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClosedError } from '../../domain/errors.ts';
import { CloseGate, guardClosed } from '../../projections/closed-guard.ts';
import { rejects } from '../support/async.ts';

/** A port whose scan holds something between items, and says when its `finally` released it. */
class HoldingPort {
  released = 0;

  async *scan(fail = false): AsyncGenerator<number> {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      this.released += 1;
      // What releasing a resource closed with the runtime may do.
      if (fail) throw new Error('The database connection is not open');
    }
  }
}

const gate = () => new CloseGate(() => new ClosedError('the test lake', 'open it again'));

const test = suite('closed guard: an iteration ended by close() finishes the port\'s iterator');

test('a for await cut short by close() runs the port generator\'s finally', async () => {
  const port = new HoldingPort();
  const state = gate();
  const guarded = guardClosed(port, state);
  const loop = (async () => {
    for await (const i of guarded.scan()) if (i === 1) await state.close();
  })();
  await rejects(() => loop, ClosedError);
  assert.is(port.released, 1);
});

test('a break out of a for await after close() runs the port generator\'s finally', async () => {
  const port = new HoldingPort();
  const state = gate();
  for await (const i of guardClosed(port, state).scan()) {
    if (i === 1) {
      await state.close();
      break;
    }
  }
  assert.is(port.released, 1);
});

test('a break out of a for await before close() runs the port generator\'s finally', async () => {
  const port = new HoldingPort();
  for await (const i of guardClosed(port, gate()).scan()) if (i === 1) break;
  assert.is(port.released, 1);
});

test('the port\'s iterator is finished once, however many steps are refused after close()', async () => {
  const port = new HoldingPort();
  const state = gate();
  const scan = guardClosed(port, state).scan()[Symbol.asyncIterator]();
  await scan.next();
  await state.close();
  await rejects(() => scan.next(), ClosedError);
  await rejects(() => scan.next(), ClosedError);
  await scan.return?.(undefined);
  assert.is(port.released, 1);
});

test('a step refused after close() rejects with ClosedError even when the port\'s finally throws', async () => {
  const port = new HoldingPort();
  const state = gate();
  const scan = guardClosed(port, state).scan(true)[Symbol.asyncIterator]();
  await scan.next();
  await state.close();
  await rejects(() => scan.next(), ClosedError);
  assert.is(port.released, 1);
});

test('a break after close() ends the loop even when the port\'s finally throws', async () => {
  const port = new HoldingPort();
  const state = gate();
  const scan = guardClosed(port, state).scan(true)[Symbol.asyncIterator]();
  await scan.next();
  await state.close();
  assert.equal(await scan.return?.(undefined), { done: true, value: undefined });
});

test('an iteration handed out before close() and first stepped after it never starts the port\'s scan', async () => {
  let started = 0;
  const state = gate();
  const port = guardClosed({ async *scan() { started += 1; yield 1; } }, state);
  const scan = port.scan()[Symbol.asyncIterator]();
  await state.close();
  await rejects(() => scan.next(), ClosedError);
  assert.is(started, 0);
});

test.run();
