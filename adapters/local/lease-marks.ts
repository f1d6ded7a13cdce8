// The local runtime's lease liveness (domain/ports/lease-liveness.ts): a holder's mark is a SQLite connection holding
// `BEGIN IMMEDIATE` on a lock file of its own under `<dataDir>/leases/`, named by lease, holder tag and host.
//
// Why SQLite's lock: it is a POSIX byte-range lock, which the kernel frees when the process dies however it dies
// (SIGKILL, a crash, OOM), and SQLite keeps it right between two connections of one process (plain fcntl locks are
// per process, and closing any descriptor of the file drops them all). Why the file's existence matters too: only a
// holder that marks itself creates it, so a lease written by a version without marks is never taken for dead. Why
// the host in the name: a holder on another host sharing the data dir over NFS is not found here at all (its lease
// waits for its expiry, as before), whatever that mount does with locks.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { DeadHolder, HolderMark, LeaseLiveness } from '../../domain/ports/lease-liveness.ts';
import { ensureDirSync, FILE_MODE } from './layout.ts';

/** Characters kept as they are in a lock file's name; the rest (a projection's name may hold any) are %-escaped. */
const safe = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Longest escaped part (lease, host) kept whole: with both, the tag and `.lock`, a name stays within 255 bytes. */
const KEPT = 100;

/**
 * `text` escaped, or when that is longer than KEPT its start and a hash of it. Why: a lease's name holds a projection's,
 * of any length, and a longer file name refused every take of that lease (ENAMETOOLONG). `~` is escaped in `safe`, so
 * a shortened part never equals a whole one.
 */
function part(text: string): string {
  const escaped = safe(text);
  return escaped.length <= KEPT ? escaped : `${escaped.slice(0, 60)}~${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/**
 * The lock of `file` when no live process holds it, else undefined. No busy timeout: a held lock is the answer.
 * Journal in memory: the lock file stays empty, and a holder killed mid-way leaves no journal beside it.
 */
function lock(file: string): Db | undefined {
  let db: Db;
  try {
    db = new Database(file, { timeout: 0, fileMustExist: true });
  } catch (error) {
    // None there (no holder ever marked it here), or released and deleted meanwhile.
    if (!existsSync(file)) return undefined;
    throw error;
  }
  try {
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN IMMEDIATE');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
}

/**
 * Create `file` (0600) unless it is there. Why never open an existing one: closing any descriptor of a file drops all
 * of this process's POSIX locks on it, so opening and closing a mark that another runtime of this process holds (two
 * takers drawing one tag) unlocked it, and another process then found that live holder dead and took its lease over.
 * SQLite's own connections are safe: it keeps such descriptors open until the process's last lock on the file goes.
 */
function create(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  closeSync(fd);
}

/** Deleted while still locked, then closed: a taker that opened it before sees the lease value changed (its CAS fails). */
function drop(db: Db, file: string | undefined): void {
  try {
    if (file !== undefined) rmSync(file, { force: true });
  } finally {
    db.close();
  }
}

/**
 * Lease liveness from lock files under `dir` (the data dir's `leases/`).
 *
 * @example
 * const liveness = new LockFileLeaseLiveness(join(dataDir, 'leases'));
 * const mark = await liveness.mark('archive:lease', 17); // held until mark.release() or this process dies
 */
/** The data dir's folder of lease holders' lock files (their marks), beside the lease rows in dispatch.db. */
export const LEASES_FOLDER = 'leases';

export class LockFileLeaseLiveness implements LeaseLiveness {
  constructor(readonly dir: string, private readonly host: string = hostname()) {}

  async mark(name: string, tag: number): Promise<HolderMark | undefined> {
    const file = this.file(name, tag);
    ensureDirSync(this.dir);
    create(file);
    const db = lock(file);
    if (!db) return undefined;
    let state: 'held' | 'kept' | 'gone' = 'held';
    return {
      release: async (stillNamed = false) => {
        if (state === 'held') drop(db, stillNamed ? undefined : file);
        // A lease whose release failed (its file kept for a taker) and was freed later through another path (a
        // runtime's close()): its file goes too, or it would stay behind, unlocked, naming a holder that is gone. Only
        // if nobody holds it: a taker may have deleted it since and a new holder of the same tag made it anew.
        else if (state === 'kept' && !stillNamed) {
          const unheld = lock(file);
          if (unheld) drop(unheld, file);
        }
        if (state !== 'gone') state = stillNamed ? 'kept' : 'gone';
      },
    };
  }

  async dead(name: string, tag: number): Promise<DeadHolder | undefined> {
    const file = this.file(name, tag);
    const db = lock(file);
    if (!db) return undefined;
    let released = false;
    return {
      release: async (takenOver) => {
        if (released) return;
        released = true;
        drop(db, takenOver ? file : undefined);
      },
    };
  }

  private file(name: string, tag: number): string {
    return join(this.dir, `${part(name)}.${tag}.${part(this.host)}.lock`);
  }
}

/**
 * The checkpoints of the data dir `root` as its leases use them: `store` (SQLite's, maybe decorated), whose false is the
 * truth (it never retries a write inside), with the liveness of lock files under `<root>/leases/`.
 *
 * @example
 * const checkpoints = localLeaseCheckpoints(new SqliteCheckpointStore(layout.dispatchDb), layout.root);
 */
export function localLeaseCheckpoints(store: CheckpointStore, root: string): CheckpointStore {
  return {
    get: (name) => store.get(name),
    set: (name, position) => store.set(name, position),
    compareAndSet: (name, expected, next) => store.compareAndSet(name, expected, next),
    exactAnswers: true,
    leaseLiveness: new LockFileLeaseLiveness(join(root, LEASES_FOLDER)),
  };
}
