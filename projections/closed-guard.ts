// The closed state of a runtime: after close(), its ports and functions refuse with one typed ClosedError instead of
// whatever each adapter does with a closed resource (better-sqlite3: "The database connection is not open"), and
// close() waits for the calls already started, so none of them meets a resource closed under it.

import { ClosedError } from '../domain/errors.ts';

/** Whether the runtime was closed, the error its calls then refuse with, and the calls still in flight. */
export interface ClosedState {
  readonly closed: () => boolean;
  readonly error: () => ClosedError;
  /** `work`, counted in flight until it settles (close() waits for it). */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * The ClosedState of one runtime. Why a counter and not a list: a call's cost is one increment and one `then`,
 * whatever it does (an emit of a million events costs what a read does). Why `then` and not `finally`: `finally`
 * costs three more promises a call, which tripled the guard's cost (~100 -> ~300 ns a call or iteration step, 100k
 * runs); the answer and the error reach the caller alike either way (an unhandled error stays unhandled).
 */
export class CloseGate implements ClosedState {
  private inFlight = 0;
  private shut = false;
  private settled: Promise<void> | undefined;
  private onSettled: (() => void) | undefined;

  constructor(readonly error: () => ClosedError) {}

  readonly closed = (): boolean => this.shut;

  readonly track = <T>(work: Promise<T>): Promise<T> => {
    this.inFlight += 1;
    return work.then(this.pass, this.fail) as Promise<T>;
  };

  /**
   * Refuse every later call from now, and resolve once the calls started before have settled (their callers get
   * their results or errors as if nothing had happened). Calling it again returns the same wait.
   */
  close(): Promise<void> {
    this.shut = true;
    this.settled ??= this.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => { this.onSettled = resolve; });
    return this.settled;
  }

  private readonly pass = (value: unknown): unknown => {
    this.leave();
    return value;
  };

  private readonly fail = (error: unknown): never => {
    this.leave();
    throw error;
  };

  // Settled a macrotask later: the callers' own continuations (microtasks after their answer) run before close() goes
  // on to close the resources.
  private readonly leave = (): void => {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.onSettled) setTimeout(this.onSettled, 0);
  };
}

/** Options of `guardClosed`. */
export interface GuardOptions {
  /** Methods that touch no resource and return no promise (the lake's `prepare`): called as they are, even after close. */
  readonly pure?: readonly PropertyKey[];
}

/**
 * `port` whose every method, once `state.closed()`, refuses with `state.error()` without reaching the port; a call
 * started before close is counted in flight (`state.track`) until its promise settles. Methods are called on the port
 * itself (not the proxy), so a class's private fields keep working, and calls the port makes inside are not counted
 * again nor refused: an emit started before close finishes its appends and its catch-up. An async iterable a method
 * returns refuses the same way at its next step after close, however long before close it was handed out; a step in
 * flight at close is waited for.
 */
export function guardClosed<T extends object>(port: T, state: ClosedState, options: GuardOptions = {}): T {
  // Keyed by the method itself, not its name: a decorated port (a fault injector) may answer a name with another function later.
  const wrapped = new WeakMap<(...a: unknown[]) => unknown, (...a: unknown[]) => unknown>();
  return new Proxy(port, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      // The constructor is the class, not a method: wrapped, instanceof-free checks (constructor.name, ===) lost it.
      if (typeof value !== 'function' || prop === 'constructor' || options.pure?.includes(prop)) return value;
      const method = value as (...a: unknown[]) => unknown;
      let guarded = wrapped.get(method);
      if (guarded === undefined) {
        guarded = (...args: unknown[]): unknown => {
          if (state.closed()) return refused(state.error());
          const result = method.apply(target, args);
          if (result instanceof Promise) return state.track(result);
          return isAsyncIterable(result) ? guardIteration(result, state) : result;
        };
        wrapped.set(method, guarded);
      }
      return guarded;
    },
  });
}

/** `fn`, refusing once `state.closed()` (a rejected promise: `fn` is async), counted in flight until it settles. */
export function guardClosedFn<A extends unknown[], R>(fn: (...args: A) => Promise<R>, state: ClosedState): (...args: A) => Promise<R> {
  return (...args) => (state.closed() ? Promise.reject(state.error()) : state.track(fn(...args)));
}

/**
 * A refusal that works whichever way the port method is used: awaited (every port method returns a promise but
 * `between`, `readObject` and `list`, which return async iterables) or iterated. The promise is marked handled:
 * a caller that only iterates never awaits it.
 */
function refused(error: ClosedError): Promise<never> & AsyncIterable<never> {
  const rejected = Promise.reject(error);
  rejected.catch(() => undefined);
  return Object.assign(rejected, { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) });
}

/** Whether `value` is an async iterable (a promise is not: it has no Symbol.asyncIterator). */
function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * `source`, iterated or stepped (as an async generator is), whose `next()` once `state.closed()` refuses with
 * `state.error()` instead of reaching the port. Why at every step: an iteration handed out before close and resumed
 * after it (an index scan between pages, a listing) otherwise met the closed resource's own error ("The database
 * connection is not open"). The cost per item is one boolean read and the count in flight: close() waits for a step
 * already in flight, which then answers as the port does.
 * Why the port's iterator is finished (its `return()`) when a step is refused, and why `return()` (a loop's break)
 * reaches it after close too: a `for await` that meets a rejected step does not call `return()` itself, so a port
 * generator's `finally` (a cursor, a file handle, a lease it holds between items) never ran. No local or AWS port holds
 * one between items today (index scans page with all(), readers load whole objects), but a decorated or future one may.
 */
function guardIteration<T>(source: AsyncIterable<T>, state: ClosedState): AsyncIterableIterator<T> {
  let inner: AsyncIterator<T> | undefined;
  // Once, however many steps are refused: the port's iterator is finished and never stepped again. Counted in flight:
  // refused while close() still waits for other calls, its finally releases through resources still open.
  let finished: Promise<void> | undefined;
  const finish = (value?: unknown): Promise<void> => (finished ??= state.track(finishAfterClose(inner, value)));
  const done = (value?: unknown): IteratorResult<T> => ({ done: true, value });
  return {
    [Symbol.asyncIterator]: () => guardIteration(source, state),
    next: (...args: [] | [unknown]) => (state.closed() ? finish().then(() => Promise.reject(state.error())) : state.track((inner ??= source[Symbol.asyncIterator]()).next(...args))),
    return: (value?: unknown) => {
      if (state.closed()) return finish(value).then(() => done(value));
      return inner?.return === undefined ? Promise.resolve(done(value)) : state.track(inner.return(value));
    },
  };
}

/**
 * Run `inner`'s `finally` after close. What it throws is dropped: refused after close() finished waiting, it releases
 * what close() already closed (a statement of a closed database throws), and the caller's answer is the refusal or
 * the end of its loop.
 */
async function finishAfterClose(inner: AsyncIterator<unknown> | undefined, value: unknown): Promise<void> {
  try {
    await inner?.return?.(value);
  } catch {
    // see above
  }
}
