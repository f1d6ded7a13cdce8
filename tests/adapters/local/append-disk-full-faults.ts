// A full disk under FsEventLog.append, injected (no mount): fs calls of the journal or of batch objects failing with
// ENOSPC, and the catalogue's COMMIT failing with SQLITE_FULL. Each fault fires once; restore() is "freeing space".

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { segmentStart } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';

/** Where the disk fills. */
export type DiskFault = 'journal write' | 'journal fdatasync' | 'object creation' | 'catalogue commit';
export const DISK_FAULTS: readonly DiskFault[] = ['journal write', 'journal fdatasync', 'object creation', 'catalogue commit'];

/** Deposit `n`, in hour `n % 2` after the sample's: a batch of them makes two batch objects. */
export const depositNo = (n: number): DomainEvent =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: 1234567890 + (n % 2) * 3600 }) as DomainEvent;

export const enospc = (syscall: string): Error => Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: 'ENOSPC', syscall });

/** Whether `fd` is a journal segment of the data dir at `dir`. */
function isJournal(dir: string, fd: number): boolean {
  const { journalDir } = dataDirLayout(dir);
  if (!fs.existsSync(journalDir)) return false;
  const ino = fs.fstatSync(fd).ino;
  return fs.readdirSync(journalDir).some((n) => segmentStart(n) !== undefined && fs.statSync(join(journalDir, n)).ino === ino);
}

/** Replace fs functions (their ESM bindings too) until the returned function puts them back. */
export function patchFs(patches: Partial<Record<keyof typeof fs, unknown>>): () => void {
  const target = fs as unknown as Record<string, unknown>;
  const saved = Object.fromEntries(Object.keys(patches).map((k) => [k, target[k]]));
  Object.assign(target, patches);
  syncBuiltinESMExports();
  return () => {
    Object.assign(target, saved);
    syncBuiltinESMExports();
  };
}

/**
 * Make the next append of the log on `dir` fail at `fault`; returns "free space" (undo the injection). A journal write
 * fails mid-batch (half its bytes written); an object creation fails at the second object (the first one is created).
 */
export function fillDisk(dir: string, fault: DiskFault): () => void {
  const { writeSync, fdatasyncSync } = fs;
  if (fault === 'journal write') {
    let calls = 0;
    return patchFs({
      writeSync: (fd: number, buf: Buffer, off = 0, len = buf.length - off, ...rest: unknown[]) => {
        if (!isJournal(dir, fd)) return (writeSync as (...a: unknown[]) => number)(fd, buf, off, len, ...rest);
        if (calls++ > 0) throw enospc('write');
        return writeSync(fd, buf, off, Math.ceil(len / 2));
      },
    });
  }
  if (fault === 'journal fdatasync') {
    let calls = 0;
    return patchFs({ fdatasyncSync: (fd: number) => (isJournal(dir, fd) && calls++ === 0 ? (() => { throw enospc('fdatasync'); })() : fdatasyncSync(fd)) });
  }
  if (fault === 'object creation') {
    let objects = 0;
    return patchFs({
      writeSync: (fd: number, ...rest: unknown[]) => {
        if (!isJournal(dir, fd) && objects++ === 1) throw enospc('write');
        return (writeSync as (...a: unknown[]) => number)(fd, ...rest);
      },
    });
  }
  return failNextCommit();
}

/**
 * The catalogue's next transaction does its work, then its COMMIT fails with SQLITE_FULL, or `refusal` (a SQLite code
 * and message: a read-only catalogue), and SQLite rolls it back.
 */
export function failNextCommit(beforeReturning?: () => void, refusal = { code: 'SQLITE_FULL', message: 'database or disk is full' }): () => void {
  const proto = SqliteLogCatalogue.prototype;
  const locked = proto.locked;
  let armed = true;
  proto.locked = function <T>(this: SqliteLogCatalogue, fn: () => T): T {
    if (!armed) return locked.call(this, fn) as T;
    armed = false;
    const full = new Database.SqliteError(refusal.message, refusal.code);
    try {
      locked.call(this, () => {
        fn();
        throw full;
      });
    } finally {
      beforeReturning?.();
    }
    throw full;
  };
  return () => {
    proto.locked = locked;
  };
}

/** Make undoing fail too: the journal's ftruncate fails with EIO until the returned function is called. */
export function failTruncate(): () => void {
  return patchFs({ ftruncateSync: () => { throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' }); } });
}
