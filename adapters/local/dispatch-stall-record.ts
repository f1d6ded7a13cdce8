// The dispatch stall as a small file of the data dir, so that processes which did not meet it (`eventlake status`,
// which dispatches nothing) see it: the stalled dispatcher's memory is its own. One fixed-size slot, made when the data
// dir is opened and from then on only rewritten in place.

import { closeSync, constants, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StorageError, StorageFullError } from '../../domain/errors.ts';
import type { DispatchStall } from '../../projections/dispatch-stall.ts';
import { alive } from './durable-fs.ts';
import { FILE_MODE } from './layout.ts';

/** The record's file, at the top of the data dir. */
export const STALL_RECORD_FILE = 'dispatch-stall';

/**
 * Bytes of the slot. Why a slot made ahead and rewritten in place: measured on full 8 MiB tmpfs and ext4 disks, a new
 * file, a temp file renamed over the old one, and an UPDATE of a SQLite row (its WAL must grow) all fail with ENOSPC or
 * SQLITE_FULL, while a write over bytes the file already holds succeeds. Not so on copy-on-write file systems (btrfs,
 * ZFS), where every write needs new blocks: there a stall on a full disk may go unrecorded.
 */
const SLOT = 4096;
/** What a cleared slot holds: a record starts with `{`. */
const BLANK = 0x20;

/** Who writes the record (tests name another process). */
export interface StallRecordOptions {
  readonly now?: () => number;
  readonly pid?: number;
  readonly host?: string;
}

interface Stored {
  /** Absent in records written before a store failure could stall dispatch: those were all STORAGE_FULL. */
  readonly code?: 'STORAGE_FULL' | 'STORAGE_FAILED';
  /** The full disk's file or folder; absent for STORAGE_FAILED (its message names the store). */
  readonly where?: string;
  readonly message: string;
  readonly position: number;
  readonly since: number;
  readonly retryAt: number;
  readonly attempts: number;
  readonly triedAt: number;
  readonly pid: number;
  readonly host: string;
}

/**
 * The data dir's record of a dispatch stall. Best effort throughout: a record that cannot be made or written leaves
 * status where it was before (blind to another process's stall) and never fails the dispatch or emit that met it.
 *
 * @example
 * const record = DispatchStallRecord.open(layout.root);
 * record.follow(tail.stall); // after each drain: written when a stall begins or is met again, cleared once it ends
 * record.read();             // in any process: the recorded stall, with `recordedBy`
 */
export class DispatchStallRecord {
  private last: DispatchStall | undefined;

  private constructor(private fd: number | undefined, private readonly options: StallRecordOptions) {}

  /** Open the record of the data dir at `root`, making its slot when missing (while there is space to). */
  static open(root: string, options: StallRecordOptions = {}): DispatchStallRecord {
    let fd: number | undefined;
    try {
      fd = openSync(join(root, STALL_RECORD_FILE), constants.O_RDWR | constants.O_CREAT, FILE_MODE);
      const { size } = fstatSync(fd);
      if (size < SLOT) {
        writeSync(fd, Buffer.alloc(SLOT - size, BLANK), 0, SLOT - size, size);
        // Once per data dir: the slot's blocks are then the disk's before it fills.
        fdatasyncSync(fd);
      }
    } catch {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    }
    return new DispatchStallRecord(fd, options);
  }

  /**
   * The record of the data dir at `root` for reading only (a data dir opened read-only): never made, extended or
   * written (`follow` does nothing); `read()` answers undefined when there is none.
   */
  static openForReading(root: string): DispatchStallRecord {
    let fd: number | undefined;
    try {
      fd = openSync(join(root, STALL_RECORD_FILE), constants.O_RDONLY);
    } catch {
      fd = undefined;
    }
    const record = new DispatchStallRecord(fd, {});
    record.follow = () => undefined;
    return record;
  }

  /**
   * Record `stall`, this process's after a drain: written when it is another than the last one written (a drain that
   * stalled again, so the record's `triedAt` shows the stalled process still tries); cleared when undefined and the
   * slot holds a record, whichever process wrote it, since a drain that does not stall ends any stall.
   */
  follow(stall: DispatchStall | undefined): void {
    if (this.fd === undefined || (stall === this.last && stall !== undefined)) return;
    try {
      if (stall === undefined) {
        // One byte read per drain that did not stall: a record starts with `{`.
        if (this.slot(1)[0] !== BLANK) this.write(Buffer.alloc(SLOT, BLANK));
      } else {
        this.write(this.encode(stall));
      }
      this.last = stall;
    } catch {
      // Best effort (see the class): the next drain tries again.
    }
  }

  /** The recorded stall, undefined when none is (or the slot cannot be read). */
  read(): DispatchStall | undefined {
    if (this.fd === undefined) return undefined;
    let stored: Stored;
    try {
      const text = this.slot().toString('utf8').trim();
      if (text === '') return undefined;
      stored = JSON.parse(text) as Stored;
    } catch {
      // A record being rewritten while read: as if none, the next read sees it whole.
      return undefined;
    }
    const { code, where, message, position, since, retryAt, attempts, triedAt, pid, host } = stored;
    return {
      error: code === 'STORAGE_FAILED' ? new StorageError(message) : new StorageFullError(where ?? '', message), position, since, retryAt, attempts,
      recordedBy: { pid, host, triedAt, running: host === hostname() ? alive(pid) : undefined },
    };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private slot(length = SLOT): Buffer {
    const bytes = Buffer.alloc(length);
    const n = readSync(this.fd!, bytes, 0, length, 0);
    return bytes.subarray(0, n);
  }

  private write(bytes: Buffer): void {
    writeSync(this.fd!, bytes, 0, SLOT, 0);
  }

  /** The slot's bytes for `stall`; a message too long for it is cut (the error's `where` and code still name it). */
  private encode(stall: DispatchStall): Buffer {
    const { now = Date.now, pid = process.pid, host = hostname() } = this.options;
    const { error, position, since, retryAt, attempts } = stall;
    const where = error instanceof StorageFullError ? { where: error.where } : {};
    const stored = (message: string): string => JSON.stringify({ code: error.code, ...where, message, position, since, retryAt, attempts, triedAt: now(), pid, host } satisfies Stored);
    let json = stored(error.message);
    for (let keep = error.message.length; Buffer.byteLength(json) > SLOT && keep > 0; keep -= 64) json = stored(`${error.message.slice(0, Math.max(0, keep - 64))}…`);
    const bytes = Buffer.alloc(SLOT, BLANK);
    bytes.write(json, 0, 'utf8');
    return bytes;
  }
}
