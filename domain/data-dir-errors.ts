// Errors of a local data dir this process may not use as it is: files it cannot read or write (a read-only file
// system, another user's files), or a data dir another user owns, which its writes would lock that user out of.

import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError } from './eventlake-error.ts';

/** What a `DataDirNotWritableError` names: the file, the errno, and the owners when it is a permission problem. */
export interface NotWritableDetails {
  /** The file or folder that could not be used. */
  readonly path: string;
  /** The errno (`EROFS`, `EACCES`, `EPERM`), SQLite code (`SQLITE_READONLY*`, `SQLITE_CANTOPEN`), or `READ_ONLY` (opened so). */
  readonly errno: string;
  /** Whether `path` could not be read, written, or either (`use`: which one the errno does not say). */
  readonly access: 'read' | 'write' | 'use';
  /** What was being done, e.g. `opening /data/index.db`. */
  readonly doing: string;
  /** What of the data dir was kept, e.g. `nothing was created or changed`. */
  readonly kept: string;
  readonly dataDir: string;
  /** Owner uid of `path` and of the data dir, and the uid eventlake runs as; undefined where unknown (Windows). */
  readonly ownerUid?: number | undefined;
  readonly dataDirOwnerUid?: number | undefined;
  readonly runningUid?: number | undefined;
}

const PERMISSION = new Set(['EACCES', 'EPERM']);

/**
 * A file or folder of the data dir cannot be read or written by this process: a read-only file system (EROFS,
 * SQLITE_READONLY), files of another user (EACCES, EPERM), or a data dir opened read-only on request (errno
 * `READ_ONLY`: EVENTLAKE_READ_ONLY=1, openReadOnlyLocalEventlake). Raised by what must write; reads open such a data
 * dir read-only instead (the CLI does so by itself), and `eventlake check` reads copies, so the fix names both.
 */
export class DataDirNotWritableError extends EventlakeError {
  readonly code = 'DATA_DIR_NOT_WRITABLE';
  constructor(readonly details: NotWritableDetails, options?: { cause?: unknown }, spell: SpellCommand = bareCommand) {
    super(notWritableMessage(details, spell), options);
  }

  /** The same error, `eventlake check` spelled by `spell` (the CLI adds its global options). */
  spelledWith(spell: SpellCommand): DataDirNotWritableError {
    return new DataDirNotWritableError(this.details, { cause: this.cause }, spell);
  }
}

function notWritableMessage(d: NotWritableDetails, spell: SpellCommand): string {
  const known = PERMISSION.has(d.errno) && d.ownerUid !== undefined && d.runningUid !== undefined;
  const own = known && d.ownerUid === d.runningUid;
  const why = d.errno === 'EROFS' ? ': the file system is read-only' : d.errno === READ_ONLY ? ': it was opened read-only'
    : own ? `: uid ${d.ownerUid} owns it, but its mode refuses it` : known ? `: it belongs to uid ${d.ownerUid} and eventlake runs as uid ${d.runningUid}` : '';
  const fixes = ['copy the data dir to a writable place (cp -a) and point --data-dir there'];
  if (d.errno === READ_ONLY) {
    fixes.unshift('open it for writing (without --read-only or EVENTLAKE_READ_ONLY=1; openLocalEventlake in code)');
  } else if (own) {
    fixes.push(`give its owner access again (chmod -R u+rwX ${d.dataDir})`);
  } else if (known && d.dataDirOwnerUid === d.runningUid) {
    // The data dir is the runner's but this file is not (a write run as root left it): give it back.
    fixes.push(`give its files back to their owner as root (chown -R ${d.runningUid} ${d.dataDir})`);
  } else if (PERMISSION.has(d.errno) && d.dataDirOwnerUid !== undefined) {
    fixes.push(`run as the data dir's owner (uid ${d.dataDirOwnerUid})`);
  }
  return `${d.doing} failed: ${d.path} cannot be ${{ read: 'read', write: 'written', use: 'read or written' }[d.access]} (${d.errno}${why}); ${d.kept}. ` +
    `To write: ${fixes.join(', or ')}. Reads need none of it: ${spell('status')}, balance, events and query read such a data dir ` +
    `read-only as it is on disk, and ${spell('check')} works read-only`;
}

/** The errno of a data dir opened read-only on request, not refused by the file system. */
export const READ_ONLY = 'READ_ONLY';

/** The env var that lets a process write to a data dir another user owns. */
export const ALLOW_FOREIGN_OWNER = 'EVENTLAKE_ALLOW_FOREIGN_OWNER';

/**
 * The data dir belongs to another user than the one eventlake runs as (root, or a group-writable setup). Refused at
 * open, creating nothing, because the files and folders eventlake creates are 0600/0700 for the running user: the
 * owner could no longer open the data dir. `EVENTLAKE_ALLOW_FOREIGN_OWNER=1` opens it all the same.
 */
export class DataDirForeignOwnerError extends EventlakeError {
  readonly code = 'DATA_DIR_FOREIGN_OWNER';
  constructor(readonly dataDir: string, readonly ownerUid: number, readonly runningUid: number, spell: SpellCommand = bareCommand) {
    super(`${dataDir} belongs to uid ${ownerUid} but eventlake runs as uid ${runningUid}, so nothing was opened or created: ` +
      `the files and folders eventlake creates there (even to read) are 0600/0700 for uid ${runningUid}, and uid ${ownerUid} could ` +
      `no longer open the data dir. Run as its owner (runuser -u $(stat -c %U ${dataDir}) -- eventlake …), or make uid ${runningUid} ` +
      `its owner (chown -R ${runningUid} ${dataDir}); to write as uid ${runningUid} all the same, set ${ALLOW_FOREIGN_OWNER}=1. ` +
      `${spell('check')} works as any user`);
  }

  /** The same error, `eventlake check` spelled by `spell`. */
  spelledWith(spell: SpellCommand): DataDirForeignOwnerError {
    return new DataDirForeignOwnerError(this.dataDir, this.ownerUid, this.runningUid, spell);
  }
}
