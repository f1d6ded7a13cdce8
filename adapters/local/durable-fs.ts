// File-system primitives of the local log: write-once files by temp + link(), durable replaces, fsync of files and dirs.

import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { close, fsync, open } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FILE_MODE } from './layout.ts';

let tempCounter = 0;
const TEMP_PREFIX = '.tmp-';

/** A temp file name in the same folder as `path` (hidden, so listings skip it), tagged with our pid for cleanup. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${process.pid}-${++tempCounter}-${basename(path)}`);
}

/** Write a new file whole; when a write fails (a full disk) the part written is removed, so no temp file is left. */
function writeNew(path: string, data: string | Buffer, sync: boolean): void {
  const fd = openSync(path, 'wx', FILE_MODE);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    if (sync) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkIfExists(path);
    throw error;
  }
  closeSync(fd);
}

/**
 * Create `path` with `data` unless it exists, atomically: readers see no file or the whole file, never part of it.
 * The bytes go to a temp file in the same folder, then link() publishes it; link() fails with EEXIST when the name is
 * taken, so of two processes racing on one name exactly one creates it. `sync` fsyncs the file (not the folder).
 * @returns `created`, or `exists` when the name was already taken (the existing file is left untouched).
 */
export function createOnce(path: string, data: string | Buffer, sync = false): 'created' | 'exists' {
  const temp = tempPathFor(path);
  writeNew(temp, data, sync);
  try {
    linkSync(temp, path);
    return 'created';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Create `path` with `data` where the caller alone can be creating that name (FsEventLog creates a batch object while
 * it holds the catalogue lock, before any other process can read the journal lines that name it): a temp file, then
 * rename(), so readers see no file or the whole file. Why not createOnce: rename() is one syscall (and one folder
 * change) fewer than link() + unlink(). rename() replaces a file already there, which is why this is only for names
 * nobody else can be creating. `sync` as in createOnce.
 */
export function createReserved(path: string, data: string | Buffer, sync = false): void {
  const temp = tempPathFor(path);
  writeNew(temp, data, sync);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkIfExists(temp);
    throw error;
  }
}

/** Replace `path` atomically and durably (temp file, fsync, rename, fsync folder): for markers and torn-file repairs. */
export function replaceDurably(path: string, data: string | Buffer): void {
  const temp = tempPathFor(path);
  writeNew(temp, data, true);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkIfExists(temp);
    throw error;
  }
  fsyncDirSync(dirname(path));
}

/** fsync a folder, so the names created or removed in it survive a crash. */
export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * fsync a file or folder asynchronously (off the event loop); a missing path is ignored. Plain callbacks rather than
 * a FileHandle: checkpoints fsync every new event file, and FileHandle's promises cost more main-thread time than
 * the three calls themselves.
 */
export function fsyncPath(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (openError, fd) => {
      if (openError) return openError.code === 'ENOENT' ? resolve() : reject(openError);
      fsync(fd, (syncError) => {
        close(fd, (closeError) => {
          const error = syncError ?? closeError;
          if (error) reject(error);
          else resolve();
        });
      });
    });
  });
}

/** The file's bytes, or undefined when it does not exist. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Remove a file; a missing one is fine. @returns whether a file was removed. */
export function unlinkIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Whether process `pid` of this host runs (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temp files left in `dir` by processes that no longer run (a crash between write and link). */
export function removeStaleTemps(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = name.startsWith(TEMP_PREFIX) ? Number(name.slice(TEMP_PREFIX.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid) && unlinkIfExists(join(dir, name))) removed++;
  }
  return removed;
}

/** Files touched at once by the parallel helpers: enough to overlap fsyncs, few enough to stay far from the fd limit. */
const PARALLEL_FILES = 16;

/** `fn` over every item, at most PARALLEL_FILES at a time; rejects with the first error once all have settled. */
export async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try { await fn(item); } catch (error) { failure ??= { error }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, items.length) }, worker));
  if (failure) throw failure.error;
}
