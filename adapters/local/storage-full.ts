// Telling a full or failing disk from other errors of the local adapters, and naming it in a StorageFullError.

import { StorageFullError } from '../../domain/errors.ts';

/** errno codes of a disk that is full or failing; the SQLite codes (extended ones start with these) likewise. */
const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO']);
const SQLITE_CODES = /^SQLITE_(FULL|IOERR)/;

/** Whether `error` says the disk is full or failed an I/O (fs errno or SQLite result code). */
export function isDiskFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (FS_CODES.has(code) || SQLITE_CODES.test(code));
}

/**
 * `error` as a StorageFullError when it is a disk failure (`isDiskFailure`), else `error` itself. `what` says what
 * was being done ("appending 100 events to the log"), `where` the file or folder, `kept` what of it was kept
 * ("nothing of it was stored" / "…"): the message ends with the fix.
 */
export function asStorageFull(error: unknown, what: string, where: string, kept: string): unknown {
  if (error instanceof StorageFullError || !isDiskFailure(error)) return error;
  const code = (error as { code: string }).code;
  // SQLite's -shm file that cannot grow (SHMSIZE) is a full disk in practice, not a failing device.
  const cause = (code === 'EIO' || /^SQLITE_IOERR/.test(code)) && code !== 'SQLITE_IOERR_SHMSIZE' ? 'an I/O error' : 'no space left';
  return new StorageFullError(where, `${what} failed: ${cause} (${code}) on the disk holding ${where}; ${kept}. ` +
    'Free space on that disk (or fix the device), then run the same operation again', { cause: error });
}
