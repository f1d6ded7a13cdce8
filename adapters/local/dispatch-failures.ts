// How the local dispatcher tells a failed delivery: the error's words for a dead letter, and a disk failure or a
// projection store locked by another process at once.

import { EventlakeError, StorageFullError, TransientError } from '../../domain/errors.ts';
import { asStorageFull, isDiskFailure } from './storage-full.ts';

/** `CODE: message` for eventlake errors, `Name: message` otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof EventlakeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Throws `StorageFullError` when `error` is a full or failing disk under projection `target`'s store. Why at once: a
 * full disk fails every event alike, so retrying each one (5 attempts with backoff, a 2,000-event batch, every
 * projection) held dispatch, and every emit and read waiting for it, for hours, and then dead-lettered events that
 * were never at fault.
 */
export function throwIfDiskFailure(error: unknown, target: string, events: number): void {
  if (!(error instanceof StorageFullError) && !isDiskFailure(error)) return;
  throw asStorageFull(error, `applying ${events} event(s) to projection ${target}`, `projection ${target}'s store`,
    'the events stay stored and are dispatched again from the dispatch checkpoint');
}

/** SQLite's result codes (extended ones start with these) while another connection holds the lock past busy_timeout. */
const LOCKED = /^SQLITE_(BUSY|LOCKED)/;

/** Whether `error`, or the error it wraps (the stores' TransientError), is SQLite's answer to a held lock. */
export function isLockWait(error: unknown): boolean {
  const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code;
  const code = codeOf(error);
  const wrapped = error instanceof TransientError ? codeOf(error.cause) : undefined;
  return [code, wrapped].some((c) => typeof c === 'string' && LOCKED.test(c));
}

/**
 * Throws `TransientError` when `error` says projection `target`'s store stayed locked by another connection (another
 * process's long transaction: a large dispatch batch under load, a rebuild's replay) for all of SQLite's wait. Why at
 * once, like a full disk: the lock is no event's fault, and dead-lettering after the dispatcher's five quick attempts
 * moved the dispatch checkpoint past an event that was then applied nowhere, so its balance stayed wrong until someone
 * ran `dlq redrive`; thrown, the dispatch tail retries the page with its longer backoff, and the next drain resumes.
 */
export function throwIfLocked(error: unknown, target: string, events: number): void {
  if (!isLockWait(error)) return;
  const why = error instanceof Error ? error.message : String(error);
  throw new TransientError(`applying ${events} event(s) to projection ${target}: its store stayed locked by another connection ` +
    `(${why}); nothing was dead-lettered: the events stay stored and are dispatched again from the dispatch checkpoint`, { cause: error });
}
