// fs failures injected under FsEventLog's checkpoint and remove (no mount, no other user): fsync, open, unlink and
// access failing with an errno until the returned function puts the real ones back.

import fs from 'node:fs';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';
import { patchFs } from './append-disk-full-faults.ts';
import { tempDir } from '../../support/tmp.ts';

/** An fs error as node:fs makes it: `CODE: text, syscall 'path'`, with code, syscall and path. */
export function errno(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}${path ? ` '${path}'` : ''}`), { code, syscall, ...(path ? { path } : {}) });
}

/** Every fsync fails with `code` (a full disk: ENOSPC; a failing one: EIO). */
export const failFsync = (code: string) => patchFs({ fsync: (_fd: number, done: (e: Error) => void) => done(errno(code, 'fsync')) });

/** Opening any file under `dir` (asynchronously, as checkpoints do to fsync) fails with EACCES naming it. */
export function denyOpen(dir: string): () => void {
  const { open } = fs;
  return patchFs({
    open: (path: string, flags: string, done: (e: Error | null, fd?: number) => void) =>
      (path.startsWith(dir) ? done(errno('EACCES', 'open', path)) : (open as (...a: unknown[]) => void)(path, flags, done)),
  });
}

/** Checking write access to `folder` fails with EACCES (as for another user's folder, or a non-root user's chmod). */
export function denyWrite(folder: string): () => void {
  const { accessSync } = fs;
  return patchFs({
    accessSync: (path: string, mode?: number) => {
      if (path === folder) throw errno('EACCES', 'access', path);
      accessSync(path, mode);
    },
  });
}

/** Unlinking `file` fails with `code` (other files are unlinked as usual). */
export function failUnlinkOf(file: string, code: string): () => void {
  const { unlinkSync } = fs;
  return patchFs({
    unlinkSync: (path: string) => {
      if (path === file) throw errno(code, 'unlink', path);
      unlinkSync(path);
    },
  });
}

/** Deposit `n`, an hour apart each: every one its own batch object, in its own folder. */
export const depositNo = (n: number): DomainEvent =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: 1234567890 + n * 3600 }) as DomainEvent;

/** A log in a new data dir holding deposits 1..`n` (one object each), and their object keys. */
export async function logWith(n: number): Promise<{ dir: string; log: FsEventLog; keys: string[] }> {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const results = await log.append(Array.from({ length: n }, (_, i) => depositNo(i + 1)));
  return { dir, log, keys: results.map((r) => r.key) };
}

/** Listing `folder` (readdirSync) or stat'ing `file` (statSync) fails with EACCES, as for a non-root user after chmod 000. */
export function denyReading(path: string): () => void {
  const { readdirSync, statSync } = fs;
  const refuse = (real: (...a: unknown[]) => unknown, syscall: string) => (p: unknown, ...rest: unknown[]) => {
    if (String(p) === path) throw errno('EACCES', syscall, path);
    return real(p, ...rest);
  };
  return patchFs({ readdirSync: refuse(readdirSync as never, 'scandir'), statSync: refuse(statSync as never, 'stat') });
}
