// Waiting for another process's SQLite write lock in short steps, with the event loop free between them and an end as
// soon as the process closes: shared by index.db's writes and projections.db's applies.

import type Database from 'better-sqlite3';
import { TransientError } from '../../domain/errors.ts';

/** The longest SQLite busy wait of one try: the event loop is blocked meanwhile. */
export const STEP_MS = 200;

/** How `whenUnlocked` waits between tries; tests replace it. */
export interface LockWaitClock {
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
}

/** What one wait may spend, what ends it early, and the words of its failure. */
export interface LockWait {
  /** The whole wait for the lock; a try is made at least once. */
  readonly budgetMs: number;
  /** Aborted when the process closes the database: the wait ends before its next try (close() waited up to 30 s). */
  readonly signal?: AbortSignal | undefined;
  /** The error of a wait that lasted `budgetMs` in vain; `busy` is the last try's (its cause is SQLite's). */
  readonly stillLocked: (busy: Error) => Error;
  /** What ended the wait when `signal` was aborted, e.g. "index.db's write". */
  readonly what: string;
  readonly clock?: LockWaitClock;
}

const sleepUnlessAborted = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
  if (signal?.aborted) return resolve();
  const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
  const timer = setTimeout(done, ms);
  signal?.addEventListener('abort', done, { once: true });
});

const realClock: LockWaitClock = { sleep: sleepUnlessAborted, now: Date.now };

const LOCKED = /^SQLITE_(BUSY|LOCKED)/;

/** Whether `error`, or the error it wraps (the stores' TransientError), is SQLite's answer to a held lock. */
export function isBusy(error: unknown): error is Error {
  const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;
  return [codeOf(error), codeOf((error as { cause?: unknown } | null)?.cause)].some((c) => typeof c === 'string' && LOCKED.test(c));
}

/**
 * `fn` (a write transaction of `db`, wrapped as its store maps errors) tried again while another connection holds the
 * write lock, for up to `wait.budgetMs`; then `wait.stillLocked`'s error. Why in steps: SQLite's busy wait blocks the
 * thread, and a `serve` waiting 5 s at a time for another process could not read request bodies that had arrived
 * (answered 408); here each try waits at most 200 ms. Once `wait.signal` is aborted no try is made: the wait throws a
 * TransientError saying the process is closing (SQLite rolled the failed try back, so nothing was changed).
 *
 * @example
 * await whenUnlocked(db, () => guard(() => insert()), { budgetMs: 30_000, signal, what: "index.db's write", stillLocked });
 */
export async function whenUnlocked<T>(db: Database.Database, fn: () => T, wait: LockWait): Promise<T> {
  const clock = wait.clock ?? realClock;
  const full = db.pragma('busy_timeout', { simple: true }) as number;
  const start = clock.now();
  let busy: Error | undefined;
  for (let pause = 10; ; pause = Math.min(pause * 2, 1_000)) {
    const left = wait.budgetMs - (clock.now() - start);
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.min(STEP_MS, left))}`);
      return fn();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (left <= STEP_MS) throw wait.stillLocked(error);
      if (wait.signal?.aborted) throw closing(wait.what, error);
      busy = error;
    } finally {
      db.pragma(`busy_timeout = ${full}`);
    }
    await clock.sleep(Math.min(pause, Math.max(0, left - STEP_MS)), wait.signal);
    if (wait.signal?.aborted) throw closing(wait.what, busy!);
  }
}

/** Caused by the last try's busy error, so callers tell it as a lock (the dispatcher dead-letters nothing for it). */
function closing(what: string, busy: Error): TransientError {
  return new TransientError(`${what} waited for another process's write lock and the wait was ended: this process is closing; ` +
    'nothing was changed, and the next open goes on from here', { cause: busy instanceof TransientError && busy.cause ? busy.cause : busy });
}
