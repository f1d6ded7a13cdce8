// Fault injection for any port: fail the Nth call, add latency, throw transient errors, or SIGKILL the process.

import { TransientError } from '../../domain/errors.ts';

/** What to do to a port's calls. Counting is per method name (or across all methods when `method` is omitted). */
export interface FaultPlan {
  /** Only calls of this method count and are affected. */
  readonly method?: string;
  /** Throw on this call (1-based). */
  readonly failOnCall?: number;
  /** Throw a TransientError on every call whose number is divisible by this (throttling storms). */
  readonly transientEvery?: number;
  /** Add this many ms before every affected call. */
  readonly latencyMs?: number;
  /** SIGKILL this process when the affected call with this number starts (before it runs). */
  readonly killOnCall?: number;
  /** SIGKILL after the affected call with this number returned. */
  readonly killAfterCall?: number;
  /** Error thrown by failOnCall (default: a plain Error). */
  readonly error?: () => Error;
}

/** Counters of what a wrapper did, for the reliability summary. */
export interface FaultStats {
  calls: number;
  failed: number;
  transient: number;
}

/** Wrap `port` so its async methods obey `plan`. Returns the same interface. */
export function withFaults<T extends object>(port: T, plan: FaultPlan, stats: FaultStats = { calls: 0, failed: 0, transient: 0 }): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || (plan.method && property !== plan.method)) return typeof value === 'function' ? value.bind(target) : value;
      // Not `async`: methods that return async iterables (between, readObject, list) must keep returning them as is.
      return (...args: unknown[]) => {
        const n = ++stats.calls;
        if (plan.killOnCall === n) process.kill(process.pid, 'SIGKILL');
        if (plan.failOnCall === n) {
          stats.failed++;
          return Promise.reject(plan.error ? plan.error() : new Error(`injected failure on call ${n} of ${String(property)}`));
        }
        if (plan.transientEvery && n % plan.transientEvery === 0) {
          stats.transient++;
          return Promise.reject(new TransientError(`injected throttling on call ${n} of ${String(property)}`));
        }
        const call = () => (value as (...a: unknown[]) => unknown).apply(target, args);
        const result = plan.latencyMs ? new Promise((done) => setTimeout(done, plan.latencyMs)).then(call) : call();
        if (plan.killAfterCall !== n) return result;
        return Promise.resolve(result).then((r) => {
          process.kill(process.pid, 'SIGKILL');
          return r;
        });
      };
    },
  });
}
