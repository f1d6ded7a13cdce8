// "Cannot read" told from "missing" in the read-only walks of a data dir (check, repair's scan, the guards run at
// open): only ENOENT, or ENOTDIR (a file where a folder would be), means absent. Any other errno (EACCES, EPERM, EIO…)
// is a folder or file the running user cannot read, and reading it as empty would report, or rebuild, a log that lost
// every event under it.

import { statSync, type Stats } from 'node:fs';
import { StorageError } from '../../domain/errors.ts';
import { accessIdentity, nearestOwner } from './data-dir-access.ts';

/** What `eventlake check` says after an unreadable folder or file: the log was not checked, rather than read as empty. */
export const NOT_CHECKED = 'the log was not checked (a folder or file that cannot be read is not a missing one: its events would read as lost)';

/** What a guard run before opening says after a path it cannot read: nothing was looked at further, nothing made. */
export const NOT_OPENED = 'eventlake cannot tell what the data dir holds: nothing was opened or created';

/** Whether `error` says the path is not there: ENOENT, or ENOTDIR (a file part-way along it). */
export function isAbsent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The errno of a file-system error (`EACCES`), or undefined for anything else (a bug, not the disk). */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Why `path` could not be read, in brackets: the errno and its message, and its owner's uid against the running uid. */
export function unreadableDetail(path: string, error: unknown): string {
  const owner = nearestOwner(path);
  const uid = accessIdentity.runningUid();
  const who = owner === undefined || uid === undefined ? '' : `; ${owner.path} is owned by uid ${owner.uid}, eventlake runs as uid ${uid}`;
  const errno = errnoOf(error) ?? 'error';
  const message = (error as Error).message;
  return `(${message.startsWith(errno) ? message : `${errno}: ${message}`}${who})`;
}

/** The fix for a data dir the running user cannot read, as a sentence. */
export const UNREADABLE_FIX = 'Fix: run eventlake as the data dir\'s owner (e.g. runuser -u <owner> -- eventlake …), or make the data dir ' +
  'readable by this user (chown -R it, or chmod -R u+rwX for its owner); then run the command again';

/**
 * A `StorageError` (STORAGE_FAILED) for `path`, which could not be read: its errno, its owner's uid against the running
 * uid, what did not happen because of it (`consequence`, the end of a sentence starting "so"), and the fix.
 */
export function unreadableError(path: string, error: unknown, consequence: string): StorageError {
  return new StorageError(`${path} cannot be read ${unreadableDetail(path, error)}, so ${consequence}. ${UNREADABLE_FIX}`, { cause: error });
}

/**
 * `read()`, with a file-system error other than "absent" turned into `unreadableError(path, …, consequence)`. An
 * absent path gives `ifAbsent()` when given, else its own error; an error with no errno (a bug) passes unchanged.
 */
export function readOrRefuse<T>(path: string, consequence: string, read: () => T, ifAbsent?: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isAbsent(error)) {
      if (ifAbsent) return ifAbsent();
      throw error;
    }
    if (errnoOf(error) === undefined) throw error;
    throw unreadableError(path, error, consequence);
  }
}

/** `statSync(path)`, undefined when absent; a path that cannot be stat'ed (EACCES on a folder above it) refused. */
export function statOrRefuse(path: string, consequence: string): Stats | undefined {
  return readOrRefuse(path, consequence, () => statSync(path), () => undefined);
}
