// Telling a full or failing disk, and any other file-system or SQLite failure, from other errors of the local
// adapters, and naming it in a StorageFullError or a StorageError that says what was kept and the fix.

import { EventlakeError, StorageError, StorageFullError } from '../../domain/errors.ts';
import { accessIdentity, asNotWritable, nearestOwner, type AccessContext } from './data-dir-access.ts';

/** errno codes of a disk that is full or failing; the SQLite codes (extended ones start with these) likewise. */
const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO']);
const SQLITE_CODES = /^SQLITE_(FULL|IOERR)/;
/** An errno name as node:fs sets it in `code` (EACCES, EROFS, EMFILE…): no underscore, unlike eventlake's codes. */
const ERRNO = /^E[A-Z0-9]+$/;
/** A busy or locked database is a wait, not a storage failure (the catalogue makes it a TransientError). */
const SQLITE_FAILURE = /^SQLITE_(?!BUSY|LOCKED)/;

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Whether `error` says the disk is full or failed an I/O (fs errno or SQLite result code). */
export function isDiskFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (FS_CODES.has(code) || SQLITE_CODES.test(code));
}

/**
 * Whether `error` is a raw failure of the file system (an errno `code`: EACCES, EROFS, ENOSPC…) or of SQLite (a
 * SQLITE_… code but BUSY/LOCKED), disk failures included; an eventlake error, or an error of ours or of a test seam
 * with another code or none, is not.
 */
export function isStorageFailure(error: unknown): boolean {
  const code = codeOf(error);
  return !(error instanceof EventlakeError) && code !== undefined && (ERRNO.test(code) || SQLITE_FAILURE.test(code));
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

/**
 * `error` named as `asStorageFull` does when it is a disk failure; as a StorageError (STORAGE_FAILED) naming the path,
 * the errno, `kept` and the fix when it is another storage failure (`isStorageFailure`: permissions, a read-only file
 * system, too many open files…); else `error` itself. The path is the fs error's own, else `where`.
 */
export function asStorageFailure(error: unknown, what: string, where: string, kept: string): unknown {
  if (!isStorageFailure(error) || isDiskFailure(error)) return asStorageFull(error, what, where, kept);
  const code = (error as { code: string }).code;
  const own = (error as { path?: unknown }).path;
  const path = typeof own === 'string' ? own : where;
  // node:fs says "EACCES: permission denied, open '<path>'": the reason alone, since the path is named once already.
  const reason = String((error as Error).message).replace(/^[A-Z0-9_]+: /, '').replace(/ '[^']*'(?: -> '[^']*')?$/, '');
  return new StorageError(`${what} failed: ${code} (${reason}) on ${path}; ${kept}. ${fixFor(code, path)}, ` +
    'then run the same operation again', { cause: error });
}

/**
 * `error` of an operation on a data dir in the local adapters' typed errors: a file or folder this process may not
 * read or write (EACCES, EPERM, EROFS, SQLITE_READONLY…) a DataDirNotWritableError naming it, its owner and the fix;
 * otherwise as `asStorageFailure` (a full or failing disk a StorageFullError, another errno a StorageError); anything
 * else as it is. `context.path`: the file or folder, when the fs error names none.
 */
export function asDataDirFailure(error: unknown, context: AccessContext): unknown {
  const access = asNotWritable(error, context);
  return access !== error ? access : asStorageFailure(error, context.doing, context.path, context.kept);
}

/** The fix of a storage failure `code` on `path`, in words. */
function fixFor(code: string, path: string): string {
  if (code === 'EROFS') return 'The data dir is on a read-only file system: remount it read-write, or copy the data dir to a writable disk and use the copy';
  if (code === 'EMFILE' || code === 'ENFILE') return 'Too many files are open: raise the open-file limit (ulimit -n)';
  if (code === 'EACCES' || code === 'EPERM' || /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code)) return ownerFix(path);
  if (code === 'ENOTDIR' || code === 'EISDIR') return `Something on ${path} is a file where a folder belongs, or the reverse: move it out of the data dir`;
  return `Fix the cause ${code} reports on ${path}`;
}

/** Who owns `path` (or its nearest existing folder) against who runs eventlake, and what to do about it. */
function ownerFix(path: string): string {
  const found = nearestOwner(path);
  const at = found?.path ?? path;
  const owner = found?.uid;
  const me = accessIdentity.runningUid();
  if (owner === undefined || me === undefined) return `Give the user eventlake runs as read and write access to ${at} and the rest of the data dir`;
  if (owner !== me) return `${at} is owned by uid ${owner} and eventlake runs as uid ${me}: run as the data dir's owner or chown -R it to uid ${me}`;
  return `${at} is owned by uid ${me}, the uid eventlake runs as, so its mode refuses it: give the owner read and write on the data dir (chmod -R u+rwX)`;
}
