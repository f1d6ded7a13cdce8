// The error a synchronous call throws, checked to be of the expected class, for tests that then read its message.

import * as assert from 'uvu/assert';

/** The error of class `type` that `fn` throws (or fails the test: it did not throw, or threw something else). */
export function thrown<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  let error: unknown;
  try { fn(); } catch (e) { error = e; }
  assert.instance(error, type as unknown as Function);
  return error as E;
}
