// Settling one journal line or one batch object: make its event file exist with exactly the journaled bytes (create a
// missing file, repair a torn one), or say why it is not there (superseded, removed on purpose).

import { existsSync } from 'node:fs';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { asNotWritable } from './data-dir-access.ts';
import { createReserved, readIfExists } from './durable-fs.ts';
import { archivedClass, isIntactEventObject } from './fs-objects.ts';
import type { JournalLine } from './ingest-journal.ts';
import { parseBatchRef, type JournalRecord } from './journal-line-format.ts';
import { createEventObject, type DirCache } from './dir-cache.ts';
import { hotPath, type DataDirLayout } from './layout.ts';

/** What settling a journal line found or did. */
export type Settled =
  | { readonly state: 'present' | 'created' | 'repaired'; readonly storageClass: StorageClass; readonly path?: string }
  /** Another writer won the race for this key with other content: the line's event was never stored. */
  | { readonly state: 'superseded' }
  /** The object was removed on purpose (compaction) after it was made durable. */
  | { readonly state: 'removed' };

/**
 * Make the journal line's event file exist with its content. `removedBefore` returns the durable marker: a line
 * below it whose file is gone everywhere was removed on purpose, so it is not brought back. A file or folder this
 * process may not read or write (another user's, a read-only disk) is a `DataDirNotWritableError` naming it.
 */
export function settle(layout: DataDirLayout, dirs: DirCache, line: JournalRecord & { offset: number }, removedBefore: () => number): Settled {
  return mappingAccess(layout, line.key, () => settleLine(layout, dirs, line, removedBefore));
}

function settleLine(layout: DataDirLayout, dirs: DirCache, line: JournalRecord & { offset: number }, removedBefore: () => number): Settled {
  const path = hotPath(layout, line.key);
  // A file this process created holds exactly the journaled bytes (files are write-once): if it is still there, it
  // need not be read back. Anything else (another process's file, a crash, a moved file) is checked byte for byte.
  if (dirs.createdHere(path) && existsSync(path)) return { state: 'present', storageClass: 'STANDARD', path };
  const want = `${line.content}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const found = readIfExists(path)?.toString();
    if (found === want) return { state: 'present', storageClass: 'STANDARD', path };
    if (found !== undefined) {
      if (isIntactEventObject(line.key, found)) return { state: 'superseded' };
      replaceTorn(path, want);
      return { state: 'repaired', storageClass: 'STANDARD', path };
    }
    const archived = archivedClass(layout, line.key);
    if (archived) return { state: 'present', storageClass: archived };
    if (line.offset < removedBefore()) return { state: 'removed' };
    if (createEventObject(dirs, path, want) === 'created') return { state: 'created', storageClass: 'STANDARD', path };
  }
  return { state: 'superseded' };
}

/** The journal lines of one batch object, in object order (one append journals them together, in one write). */
export interface BatchLines {
  readonly key: string;
  readonly lines: readonly JournalLine[];
}

/**
 * The bytes a batch object holds: its lines' contents, each with its newline, up to the first line that does not
 * start where the previous one ended (a hole a power cut left in an unacknowledged append: what follows it was never
 * acknowledged, and keeping it would shift it away from the offset its journal line names).
 */
export function batchBytes(lines: readonly JournalRecord[]): Buffer {
  const parts: string[] = [];
  let at = 0;
  for (const l of lines) {
    const ref = parseBatchRef(l.key);
    if (ref && ref.offset !== at) break;
    parts.push(l.content, '\n');
    at += Buffer.byteLength(l.content) + 1;
  }
  return Buffer.from(parts.join(''));
}

/**
 * Make a batch object exist with exactly its journaled lines. Its key is unique to one append (the journal offset),
 * so any other bytes under it can only be a crash's leftovers (a file linked before its data reached the disk): they
 * are replaced atomically. `removedBefore` and access failures as in `settle`.
 */
export function settleBatch(layout: DataDirLayout, dirs: DirCache, batch: BatchLines, removedBefore: () => number): Settled {
  return mappingAccess(layout, batch.key, () => settleBatchObject(layout, dirs, batch, removedBefore));
}

function settleBatchObject(layout: DataDirLayout, dirs: DirCache, batch: BatchLines, removedBefore: () => number): Settled {
  const path = hotPath(layout, batch.key);
  if (dirs.createdHere(path) && existsSync(path)) return { state: 'present', storageClass: 'STANDARD', path };
  const want = batchBytes(batch.lines);
  for (let attempt = 0; attempt < 2; attempt++) {
    const found = readIfExists(path);
    if (found?.equals(want)) return { state: 'present', storageClass: 'STANDARD', path };
    if (found !== undefined) {
      replaceTorn(path, want);
      return { state: 'repaired', storageClass: 'STANDARD', path };
    }
    const archived = archivedClass(layout, batch.key);
    if (archived) return { state: 'present', storageClass: archived };
    if (batch.lines[0]!.offset < removedBefore()) return { state: 'removed' };
    if (createEventObject(dirs, path, want) === 'created') return { state: 'created', storageClass: 'STANDARD', path };
  }
  return { state: 'present', storageClass: 'STANDARD', path };
}

/**
 * Replace a file a crash tore with the journaled bytes, atomically (temp file + rename). createReserved, because it
 * removes its temp file when the write or the rename fails (a full disk): a temp left behind was reported by `check`
 * as left by a crash. rename() replaces the torn file, as this repair always did.
 */
function replaceTorn(path: string, bytes: string | Buffer): void {
  createReserved(path, bytes);
}

const SETTLE_KEPT = 'the journal keeps every stored event, and the next open settles this file again';

/**
 * `settle()` of the object at `key`, an access failure named. Why: a write run as root left root-owned 0600/0700
 * objects, and every later command of the data dir's owner died at open on a raw EACCES with a stack.
 */
function mappingAccess(layout: DataDirLayout, key: string, settleIt: () => Settled): Settled {
  try {
    return settleIt();
  } catch (error) {
    throw asNotWritable(error, { doing: `recovering the event log (settling the file of ${key})`, path: hotPath(layout, key), dataDir: layout.root, kept: SETTLE_KEPT, access: 'use' });
  }
}
