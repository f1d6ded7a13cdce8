// A call in flight that fails is no longer in flight: close() waits for it to settle, not to succeed, and its caller
// gets its own error (a counter that only a success decremented would leave close() waiting for ever).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClosedError } from '../../domain/errors.ts';
import { CloseGate, guardClosed } from '../../projections/closed-guard.ts';

const gate = () => new CloseGate(() => new ClosedError('the test lake', 'open it again'));

/** 'settled' when `work` settles within 1 s, else 'waiting'. */
const settledSoon = (work: Promise<unknown>) =>
  Promise.race([work.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 1_000).unref())]);

const test = suite('close gate: a call in flight that fails');

test('close() resolves once a call in flight has failed, and the caller gets that call\'s error', async () => {
  const state = gate();
  let fail!: (error: Error) => void;
  const port = guardClosed({ write: () => new Promise<never>((_, reject) => { fail = reject; }) }, state);
  const writing = port.write().then(() => undefined, (error: unknown) => error);
  const closing = state.close();
  const boom = new Error('disk full');
  fail(boom);
  assert.is(await settledSoon(closing), 'settled');
  assert.is(await writing, boom);
});

test('close() resolves once an iteration step in flight has failed', async () => {
  const state = gate();
  let fail!: (error: Error) => void;
  const port = guardClosed({ async *scan() { yield await new Promise<never>((_, reject) => { fail = reject; }); } }, state);
  const step = port.scan()[Symbol.asyncIterator]().next().then(() => undefined, (error: unknown) => error);
  const closing = state.close();
  fail(new Error('page lost'));
  assert.is(await settledSoon(closing), 'settled');
  assert.instance(await step, Error);
});

test.run();
