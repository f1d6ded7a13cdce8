// Virtual time for a test of a wait an adapter bounds with Date.now() and setTimeout (and has no clock to inject):
// while `work` runs, Date.now() reads a virtual clock and each setTimeout is queued on it; whenever every promise has
// settled (a setImmediate later), the clock jumps to the earliest timer and runs it. Durations are then exact and free
// of the machine's load, and a budget of seconds passes at once. Only for work whose I/O is mocked (promise-only):
// real I/O would run while the clock jumps over it.

import * as assert from 'uvu/assert';

/** What `work` returned (or threw), and the virtual milliseconds it took. */
export interface Timed<T> {
  readonly outcome: { ok: true; value: T } | { ok: false; error: unknown };
  readonly elapsedMs: number;
}

interface Timer { id: number; at: number; run: () => void }

/** Run `work` in virtual time; the real Date.now and timers are restored when it settles. */
export async function inVirtualTime<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const real = { now: Date.now, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  const start = real.now();
  let now = start;
  let nextId = 1;
  const timers: Timer[] = [];
  let ticking = false;

  const tick = (): void => {
    ticking = false;
    timers.sort((a, b) => a.at - b.at || a.id - b.id);
    const due = timers.shift();
    if (!due) return;
    now = Math.max(now, due.at);
    due.run();
    schedule();
  };
  // setImmediate runs after every pending promise reaction: nothing but a timer can move the work on then.
  const schedule = (): void => {
    if (ticking || timers.length === 0) return;
    ticking = true;
    setImmediate(tick);
  };

  Date.now = () => now;
  globalThis.setTimeout = ((run: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = nextId++;
    timers.push({ id, at: now + Math.max(0, ms ?? 0), run: () => run(...args) });
    schedule();
    return { id, unref() { return this; }, ref() { return this; }, [Symbol.toPrimitive]: () => id };
  }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((handle: unknown) => {
    const id = (handle as { id?: unknown } | undefined)?.id;
    const at = timers.findIndex((t) => t.id === id);
    if (at >= 0) timers.splice(at, 1);
    else real.clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  }) as typeof clearTimeout;
  try {
    const value = await work();
    return { outcome: { ok: true, value }, elapsedMs: now - start };
  } catch (error) {
    return { outcome: { ok: false, error }, elapsedMs: now - start };
  } finally {
    Date.now = real.now;
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
  }
}

/** The error of type `type` that `timed`'s work was refused with (an assertion failure otherwise). */
export function refusedWith<E extends Error>(timed: Timed<unknown>, type: abstract new (...args: never[]) => E): E {
  const { outcome } = timed;
  if (outcome.ok) return assert.unreachable(`expected ${type.name}, but it resolved`) as never;
  assert.instance(outcome.error, type, `expected ${type.name}, got ${String(outcome.error)}`);
  return outcome.error as E;
}
