// How the local dispatcher tells a failed delivery: the error's words for a dead letter, the event's failures no retry
// changes, and at once the failures that are no event's fault: a full or failing disk, a projection store locked by
// another process, or one it cannot write.

import { DataDirNotWritableError } from '../../domain/data-dir-errors.ts';
import { isChangesCheckError } from '../../domain/projection-changes-check.ts';
import { CounterRangeError, EventlakeError, StorageError, StorageFullError, TransientError } from '../../domain/errors.ts';
import { isBusy } from './sqlite-lock-wait.ts';
import { asStorageFull, isDiskFailure, isStorageFailure } from './storage-full.ts';

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

/**
 * Throws `TransientError` when `error` says projection `target`'s store stayed locked by another connection (another
 * process's long transaction: a large dispatch batch under load, a rebuild's replay) for all of SQLite's wait. Why at
 * once, like a full disk: the lock is no event's fault, and dead-lettering after the dispatcher's five quick attempts
 * moved the dispatch checkpoint past an event that was then applied nowhere, so its balance stayed wrong until someone
 * ran `dlq redrive`; thrown, the dispatch tail retries the page with its longer backoff, and the next drain resumes.
 */
export function throwIfLocked(error: unknown, target: string, events: number): void {
  if (!isBusy(error)) return;
  const why = error instanceof Error ? error.message : String(error);
  throw new TransientError(`applying ${events} event(s) to projection ${target}: its store stayed locked by another connection ` +
    `(${why}); nothing was dead-lettered: the events stay stored and are dispatched again from the dispatch checkpoint`, { cause: error });
}

/**
 * SQLite's codes (extended ones start with these) for a store file that cannot be written or read as a database: its
 * mode, owner or mount, damage, memory. Not CONSTRAINT, MISMATCH, TOOBIG, ERROR…: an event's values can cause those.
 */
const STORE_FILE = /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH|CORRUPT|NOTADB|NOMEM|PROTOCOL|NOLFS)/;
const ERRNO = /^E[A-Z0-9]+$/;
const ACCESS = /^(EACCES|EPERM|SQLITE_(READONLY|CANTOPEN|PERM|AUTH))/;

/**
 * Whether `error` is a failure of the store's files rather than of the events: a typed one (`StorageError`,
 * `DataDirNotWritableError`), an errno (EACCES, EPERM, EROFS, EMFILE…), or a SQLite code of `STORE_FILE`.
 */
export function isStoreFailure(error: unknown): boolean {
  if (error instanceof StorageError || error instanceof DataDirNotWritableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return isStorageFailure(error) && typeof code === 'string' && (ERRNO.test(code) || STORE_FILE.test(code));
}

/**
 * Throws when `error` is a storage failure of projection `target`'s store other than a full disk or a lock (those have
 * their own throwIf… above): a typed one as it is, a raw one as `StorageError` naming the code and the fix. Why at once,
 * like a full disk: a read-only projections.db (its mode, owner or mount), EACCES/EPERM or a damaged file fails every
 * event alike, and the dispatcher's five attempts then dead-lettered each one and moved the dispatch checkpoint past
 * events applied nowhere; thrown, the dispatch tail retries the page with its backoff and the next drain resumes.
 */
export function throwIfStoreFailure(error: unknown, target: string, events: number): void {
  if (!isStoreFailure(error)) return;
  if (error instanceof EventlakeError) throw error;
  const code = (error as { code: string }).code;
  const reason = error instanceof Error ? error.message : String(error);
  throw new StorageError(`applying ${events} event(s) to projection ${target} failed: ${code} (${reason}) on projection ${target}'s store; ` +
    `nothing was dead-lettered: the events stay stored and are dispatched again from the dispatch checkpoint. ${storeFix(code)}; ` +
    'the next emit or read catches up from there', { cause: error });
}

/**
 * Whether another attempt of the event fails alike, so it is dead-lettered at its first failure instead of after
 * backoff: a change that takes a counter out of its store's range (`CounterRangeError`) is the event's value, and
 * Changes the check refused (`ProjectionRuleError` of `checkChanges`) are what the rule answers for that event each time.
 */
export function failsAlike(error: unknown): boolean {
  return error instanceof CounterRangeError || isChangesCheckError(error);
}

/** Each failure no event causes, thrown at once (`throwIfDiskFailure`, `throwIfLocked`, `throwIfStoreFailure`). */
export function throwIfNoEventsFault(error: unknown, target: string, events: number): void {
  throwIfDiskFailure(error, target, events);
  throwIfLocked(error, target, events);
  throwIfStoreFailure(error, target, events);
}

function storeFix(code: string): string {
  if (code === 'EROFS') return 'The data dir is on a read-only file system: remount it read-write';
  if (ACCESS.test(code)) return 'Give the user eventlake runs as read and write access to the store\'s files (projections.db and its -wal and -shm files in the data dir: chown or chmod them)';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'The store\'s file is damaged: rebuild the projection from the log (eventlake rebuild --projection NAME --from 0)';
  if (code === 'EMFILE' || code === 'ENFILE') return 'Too many files are open: raise the open-file limit (ulimit -n)';
  return `Fix the cause ${code} reports`;
}
