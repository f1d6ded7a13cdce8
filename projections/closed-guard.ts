// The closed state of a runtime: after close(), its ports and functions refuse with one typed ClosedError instead of
// whatever each adapter does with a closed resource (better-sqlite3: "The database connection is not open").

import { ClosedError } from '../domain/errors.ts';

/** Whether the runtime was closed, and the error its calls then refuse with. */
export interface ClosedState {
  readonly closed: () => boolean;
  readonly error: () => ClosedError;
}

/**
 * `port` whose every method, once `state.closed()`, refuses with `state.error()` without reaching the port.
 * Methods are called on the port itself (not the proxy), so a class's private fields keep working. An async iterable
 * a method returns refuses the same way at its next step after close, however long before close it was handed out.
 */
export function guardClosed<T extends object>(port: T, state: ClosedState): T {
  // Keyed by the method itself, not its name: a decorated port (a fault injector) may answer a name with another function later.
  const wrapped = new WeakMap<(...a: unknown[]) => unknown, (...a: unknown[]) => unknown>();
  return new Proxy(port, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      // The constructor is the class, not a method: wrapped, instanceof-free checks (constructor.name, ===) lost it.
      if (typeof value !== 'function' || prop === 'constructor') return value;
      const method = value as (...a: unknown[]) => unknown;
      let guarded = wrapped.get(method);
      if (guarded === undefined) {
        guarded = (...args: unknown[]): unknown => {
          if (state.closed()) return refused(state.error());
          const result = method.apply(target, args);
          return isAsyncIterable(result) ? guardIteration(result, state) : result;
        };
        wrapped.set(method, guarded);
      }
      return guarded;
    },
  });
}

/** `fn`, refusing once `state.closed()` (a rejected promise: `fn` is async). */
export function guardClosedFn<A extends unknown[], R>(fn: (...args: A) => Promise<R>, state: ClosedState): (...args: A) => Promise<R> {
  return (...args) => (state.closed() ? Promise.reject(state.error()) : fn(...args));
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
 * connection is not open"). The cost per item is one boolean read, and the port's own promise is passed on as it is.
 * A step already in flight when close() is called is the port's: it may still fail with the resource's error.
 * After close, `return()` (a loop's break) does not reach the port either: its resources are closed already.
 */
function guardIteration<T>(source: AsyncIterable<T>, state: ClosedState): AsyncIterableIterator<T> {
  let inner: AsyncIterator<T> | undefined;
  const done = (value?: unknown): Promise<IteratorResult<T>> => Promise.resolve({ done: true, value });
  return {
    [Symbol.asyncIterator]: () => guardIteration(source, state),
    next: (...args: [] | [unknown]) => (state.closed() ? Promise.reject(state.error()) : (inner ??= source[Symbol.asyncIterator]()).next(...args)),
    return: (value?: unknown) => (state.closed() || inner?.return === undefined ? done(value) : inner.return(value)),
  };
}
