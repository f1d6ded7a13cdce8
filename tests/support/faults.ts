// Fault injection for any port: fail chosen calls, add latency, throw transient errors, or SIGKILL the process.

import { writeSync } from 'node:fs';
import { TransientError } from '../../domain/errors.ts';
import { seededRandom } from '../../domain/generator.ts';

/** What to do to a port's calls. Counting is per wrapper, of the calls of `method` (or of every method when omitted). */
export interface FaultPlan {
  /** Only calls of this method count and are affected. */
  readonly method?: string;
  /** Only calls of these methods count and are affected (counted together). */
  readonly methods?: readonly string[];
  /** Throw on this call (1-based). */
  readonly failOnCall?: number;
  /** Throw on each of these calls (1-based). */
  readonly failOnCalls?: readonly number[];
  /** Throw on the first N calls (a dependency that is down for a while). */
  readonly failFirst?: number;
  /** Throw a TransientError on every call whose number is divisible by this (throttling storms). */
  readonly transientEvery?: number;
  /**
   * Throw a TransientError on each call with this probability (0-1), drawn from a PRNG seeded with `seed`: random
   * throttling, which never locks into step with a caller that makes the same number of calls per attempt.
   */
  readonly transientRate?: number;
  readonly seed?: number;
  /** Add this many ms to every affected call. */
  readonly latencyMs?: number;
  /** SIGKILL this process when the affected call with this number starts (before it runs). */
  readonly killOnCall?: number;
  /** SIGKILL after the affected call with this number has completed (its promise settled). */
  readonly killAfterCall?: number;
  /** Error thrown by the fail options (default: a plain Error naming the call). */
  readonly error?: () => Error;
}

/** Counters of what a wrapper did, for the reliability summary. */
export interface FaultStats {
  calls: number;
  failed: number;
  transient: number;
}

export const newFaultStats = (): FaultStats => ({ calls: 0, failed: 0, transient: 0 });

/** SIGKILL ourselves, after saying where on stderr (written synchronously, so the line survives the kill). */
export function killHere(where: string): never {
  writeSync(2, `[fault] SIGKILL ${where}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const isAsyncGenerator = (fn: unknown) => (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncGeneratorFunction';

/**
 * The port methods that return async iterables (EventIndex.between, EventLog.readObject/list). Known by name too: an
 * adapter may implement one as a plain method returning an iterable (SqliteEventIndex.between does), and a failure
 * answered as a rejected promise there is neither iterable nor awaited: it crashed the process as unhandled.
 */
const ITERABLE_METHODS: ReadonlySet<PropertyKey> = new Set(['between', 'readObject', 'list']);

/** Port methods that hand out an object whose methods are the port's writes (ProjectionStore.stagedReplay). */
const WRITER_FACTORIES: ReadonlySet<PropertyKey> = new Set(['stagedReplay']);

/** An async iterable that throws `error` on its first step: what a failing `between`/`list`/`readObject` looks like. */
async function* failing(error: Error): AsyncGenerator<never> {
  throw error;
}

async function* delayed<T>(ms: number, source: AsyncIterable<T>): AsyncGenerator<T> {
  await sleep(ms);
  yield* source;
}

function shouldFail(plan: FaultPlan, n: number): boolean {
  return plan.failOnCall === n || (plan.failOnCalls?.includes(n) ?? false) || (plan.failFirst !== undefined && n <= plan.failFirst);
}

/**
 * Wrap `port` so its methods obey `plan`. Returns the same interface. Methods that return async iterables (index
 * `between`, log `list`/`readObject`) keep returning iterables: their failures and latency happen on iteration.
 *
 * @example
 * const stats = newFaultStats();
 * const index = withFaults(new SqliteEventIndex(file), { method: 'put', failOnCall: 2 }, stats);
 */
export function withFaults<T extends object>(port: T, plan: FaultPlan, stats: FaultStats = newFaultStats()): T {
  const random = seededRandom(plan.seed ?? 1);
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      // A projection store's staged replay writer obeys the same plan, counted with the store's calls: a plan of
      // `stage` or `flush` reaches a rebuild's writes wherever the store hands them out.
      if (WRITER_FACTORIES.has(property)) return (...args: unknown[]) => withFaults((value as (...a: unknown[]) => object).apply(target, args), plan, stats);
      if ((plan.method && property !== plan.method) || (plan.methods && !plan.methods.includes(String(property)))) return value.bind(target);
      const generator = isAsyncGenerator(value) || ITERABLE_METHODS.has(property);
      const name = `${target.constructor.name}.${String(property)}`;
      // Not `async`: iterable-returning methods must keep returning iterables.
      return (...args: unknown[]) => {
        const n = ++stats.calls;
        if (plan.killOnCall === n) killHere(`before call ${n} of ${name}`);
        let error: Error | undefined;
        if (shouldFail(plan, n)) {
          stats.failed++;
          error = plan.error ? plan.error() : new Error(`injected failure on call ${n} of ${name}`);
        } else if ((plan.transientEvery && n % plan.transientEvery === 0) || (plan.transientRate !== undefined && random() < plan.transientRate)) {
          stats.transient++;
          error = new TransientError(`injected throttling on call ${n} of ${name}`);
        }
        if (error) return generator ? failing(error) : Promise.reject(error);
        const call = () => (value as (...a: unknown[]) => unknown).apply(target, args);
        if (generator) return plan.latencyMs ? delayed(plan.latencyMs, call() as AsyncIterable<unknown>) : call();
        const result = plan.latencyMs ? sleep(plan.latencyMs).then(call) : call();
        if (plan.killAfterCall !== n) return result;
        return Promise.resolve(result).finally(() => killHere(`after call ${n} of ${name}`));
      };
    },
  });
}

/** Port name → plan, as a child process receives it (JSON on the command line). */
export type FaultPlans = Readonly<Record<string, FaultPlan>>;

/**
 * A `decorate` option for openLocalEventlake that wraps the ports named in `plans` and leaves the others alone.
 *
 * @example
 * await openLocalEventlake({ dataDir, decorate: decorateWith({ index: { method: 'put', killAfterCall: 2 } }) });
 */
export function decorateWith(plans: FaultPlans, stats: Record<string, FaultStats> = {}): <P extends object>(name: string, port: P) => P {
  return (name, port) => {
    const plan = plans[name];
    if (!plan) return port;
    stats[name] ??= newFaultStats();
    return withFaults(port, plan, stats[name]);
  };
}
