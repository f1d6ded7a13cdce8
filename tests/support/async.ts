// Assertion helpers for async work: rejections (uvu's assert.throws is sync-only), and work that used to hang.

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

/** Whether `work` settled (resolved or rejected) within `ms`: for a test of something that used to hang. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  const settled = await Promise.race([work.then(() => true, () => true), late]);
  clearTimeout(timer);
  return settled;
}
