// `eventlake query --timeout`: a time limit on one query, kept by interrupting the engine (DuckDB) once it is up.

import { InvalidArgumentError, QueryTimeoutError } from '../domain/errors.ts';
import type { EventQuery } from '../domain/ports/event-query.ts';

/** Longest wait setTimeout keeps (2^31-1 ms): a longer one fired at once. */
const MAX_SECONDS = Math.floor(0x7fffffff / 1000);

/** How often an expired query is interrupted again: an interrupt between two of its statements finds none running. */
const AGAIN_MS = 50;

/** A query engine whose running statement can be stopped (DuckDbEventQuery). */
interface Interruptible {
  interrupt(): void;
}

/** `--timeout`: seconds, more than 0 (fractions allowed); `InvalidArgumentError` naming the flag otherwise. */
export function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) {
    throw new InvalidArgumentError('--timeout', `${text} is not a number of seconds from 0 to ${MAX_SECONDS} (0 excluded; fractions allowed): leave it out for no limit`);
  }
  return seconds;
}

/**
 * `query` as an engine `--timeout` can stop; `InvalidArgumentError` naming the flag for one it cannot (Athena, with
 * --target aws, whose own limit stops a query after 5 minutes).
 */
export function interruptible(query: EventQuery): Interruptible {
  const engine = query as EventQuery & Partial<Interruptible>;
  if (typeof engine.interrupt !== 'function') {
    throw new InvalidArgumentError('--timeout', 'applies to local queries (DuckDB) only: with --target aws, Athena stops a query after 5 minutes by itself; leave --timeout out');
  }
  return { interrupt: () => engine.interrupt!() };
}

/**
 * What `work` answers, or `QueryTimeoutError` (naming --timeout) when it fails after `seconds`, its engine
 * interrupted then and every AGAIN_MS until it settles. An answer that arrives after the limit is still returned.
 */
export async function withinTimeout<T>(work: () => Promise<T>, seconds: number, engine: Interruptible): Promise<T> {
  let expired = false;
  let again: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    expired = true;
    engine.interrupt();
    again = setInterval(() => engine.interrupt(), AGAIN_MS);
  }, seconds * 1000);
  try {
    return await work();
  } catch (error) {
    throw expired ? new QueryTimeoutError(seconds, '--timeout', { cause: error }) : error;
  } finally {
    clearTimeout(timer);
    clearInterval(again);
  }
}
