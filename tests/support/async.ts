// Assertion helper for async rejections (uvu's assert.throws is sync-only).

import * as assert from 'uvu/assert';

/** Awaits `fn`, asserts it rejects with an instance of `type`, and returns the error for further checks. */
export async function rejects<E extends Error>(fn: () => Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof type) return error;
    assert.unreachable(`expected ${type.name}, got ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
  }
  assert.unreachable(`expected ${type.name}, but it resolved`);
  throw new Error('unreachable');
}
