// How the AWS adapters pace their calls: capped exponential backoff with full jitter, and bounded concurrency.

import { TransientError } from '../../domain/errors.ts';

/** Tuning of `withRetry`; the defaults suit S3, EventBridge and DynamoDB throttling. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  readonly attempts?: number;
  /** Cap of the first retry's delay in ms; it doubles per attempt (default 50). */
  readonly baseDelayMs?: number;
  /** Cap of any single delay in ms (default 5000). */
  readonly maxDelayMs?: number;
  /** How to wait; tests pass one that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform source in [0, 1), for deterministic tests. */
  readonly random?: () => number;
}

const DEFAULTS = { attempts: 6, baseDelayMs: 50, maxDelayMs: 5000 } as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delay before retry number `retry` (0-based): uniform in [0, min(max, base * 2^retry)).
 * Full jitter, because throttled clients that back off in lockstep collide again (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  return Math.floor((options.random ?? Math.random)() * Math.min(cap, base * 2 ** retry));
}

/** Wait the backoff delay before retry number `retry` (for loops that retry only part of a request). */
export function pause(retry: number, options: RetryOptions = {}): Promise<void> {
  return (options.sleep ?? realSleep)(backoffDelay(retry, options));
}

/** Attempts in all that `options` allow. */
export function attemptsOf(options: RetryOptions = {}): number {
  return Math.max(1, options.attempts ?? DEFAULTS.attempts);
}

/**
 * Run `operation` until it succeeds, retrying while `retryable(error)` holds, at most `attempts` times.
 * A non-retryable error is rethrown as it is (the caller maps it); running out of attempts throws
 * `TransientError` with the last error as `cause`.
 *
 * @example
 * const out = await withRetry('PutObject events/…', () => s3.send(cmd), isThrottled);
 */
export async function withRetry<T>(
  label: string,
  operation: (attempt: number) => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = attemptsOf(options);
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!retryable(error)) throw error;
      if (attempt + 1 >= attempts) {
        throw new TransientError(`${label} still failing after ${attempts} attempts: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      await pause(attempt, options);
    }
  }
}

export { mapLimit } from '../../projections/map-limit.ts';
