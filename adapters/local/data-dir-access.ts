// Whether this process may use a data dir as it is: telling a read-only or foreign file from other errors, naming it in
// a DataDirNotWritableError, and refusing at open, before anything is created, a data dir it cannot write or that
// another user owns.

import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALLOW_FOREIGN_OWNER, DataDirForeignOwnerError, DataDirNotWritableError, type NotWritableDetails } from '../../domain/data-dir-errors.ts';
import type { DataDirLayout } from './layout.ts';

/** Test seam: the uid eventlake runs as (undefined on Windows) and a file's owner uid. Tests replace the functions. */
export const accessIdentity = {
  runningUid: (): number | undefined => process.getuid?.(),
  ownerOf: (path: string): number => statSync(path).uid,
};

const FS_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);
const SQLITE_CODES = /^SQLITE_(READONLY|CANTOPEN)/;

/** Whether `error` says a file cannot be read or written by this process (fs errno or SQLite result code). */
export function isAccessFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (FS_CODES.has(code) || SQLITE_CODES.test(code));
}

/** What `asNotWritable` is told besides the error. */
export interface AccessContext {
  /** What was being done, e.g. `opening /data/index.db`. */
  readonly doing: string;
  /** The file or folder it was done to; an fs error's own `path` is named instead when it has one. */
  readonly path: string;
  readonly dataDir: string;
  /** What of the data dir was kept (the message says it). */
  readonly kept: string;
  readonly access?: NotWritableDetails['access'];
}

/** `error` as a DataDirNotWritableError when it is an access failure (`isAccessFailure`), else `error` itself. */
export function asNotWritable(error: unknown, context: AccessContext): unknown {
  if (error instanceof DataDirNotWritableError || !isAccessFailure(error)) return error;
  const path = (error as { path?: unknown }).path;
  const named = typeof path === 'string' ? path : context.path;
  return new DataDirNotWritableError(details(named, (error as { code: string }).code, context), { cause: error });
}

function details(path: string, errno: string, context: AccessContext): NotWritableDetails {
  return {
    path, errno, doing: context.doing, kept: context.kept, dataDir: context.dataDir, access: context.access ?? 'write',
    ownerUid: ownerOf(path), dataDirOwnerUid: ownerOf(context.dataDir), runningUid: accessIdentity.runningUid(),
  };
}

/**
 * The owner uid of `path`, or of the nearest folder above it the running user can stat (a folder it cannot enter hides
 * its files), with the path it was read from; undefined when none can be asked.
 */
export function nearestOwner(path: string): { path: string; uid: number } | undefined {
  for (let at = path; ; at = dirname(at)) {
    try {
      return { path: at, uid: accessIdentity.ownerOf(at) };
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}

const ownerOf = (path: string): number | undefined => nearestOwner(path)?.uid;

const OPEN_KEPT = 'nothing was created or changed';

/**
 * Refuse, creating nothing, to open a data dir this process cannot write: the folder, or one of the files and folders
 * at its top or in journal/ (the databases and their -wal/-shm files, events/, the journal segments), not writable
 * (`DataDirNotWritableError`); or a data dir another user owns (`DataDirForeignOwnerError`) unless
 * EVENTLAKE_ALLOW_FOREIGN_OWNER=1. Why before opening: a database opened before the refused one changed already (its
 * -wal/-shm), and recovery may have created event files. A data dir not there yet is made by this process: let through.
 */
export function refuseUnusableAccess(layout: DataDirLayout): void {
  if (!exists(layout.root)) return;
  for (const path of [layout.root, ...entries(layout.root), ...entries(layout.journalDir)]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      // Gone since it was listed: another process closing its last connection removes a database's -shm and -wal, and
      // a compaction its temp files. Nothing is left to refuse; the open failed with "unexpected error" (exit 3).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw asNotWritable(error, { doing: `opening the data dir ${layout.root}`, path, dataDir: layout.root, kept: OPEN_KEPT });
    }
  }
  refuseForeignOwner(layout.root);
}

function refuseForeignOwner(dataDir: string): void {
  const running = accessIdentity.runningUid();
  if (running === undefined || process.env[ALLOW_FOREIGN_OWNER] === '1') return;
  const owner = accessIdentity.ownerOf(dataDir);
  if (owner !== running) throw new DataDirForeignOwnerError(dataDir, owner, running);
}

function exists(dataDir: string): boolean {
  try {
    return statSync(dataDir, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    throw asNotWritable(error, { doing: `opening the data dir ${dataDir}`, path: dataDir, dataDir, kept: OPEN_KEPT, access: 'read' });
  }
}

/** The entries of `folder`, as paths; none when it is missing. One it cannot list is refused by its own check. */
function entries(folder: string): string[] {
  try {
    return readdirSync(folder).map((name) => join(folder, name));
  } catch {
    return [];
  }
}
