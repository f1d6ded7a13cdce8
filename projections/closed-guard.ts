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
 * Methods are called on the port itself (not the proxy), so a class's private fields keep working.
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
        guarded = (...args: unknown[]): unknown => (state.closed() ? refused(state.error()) : method.apply(target, args));
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
