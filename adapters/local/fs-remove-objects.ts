// Removing log objects from a data dir durably: every place an object can be (hot, restored copy, each archive class).

import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import type { DirCache } from './dir-cache.ts';
import { fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { ARCHIVE_CLASSES, archivePath, hotPath, restoredPath, type DataDirLayout } from './layout.ts';
import { asDataDirFailure } from './storage-full.ts';

const AGAIN = 'removing them again finishes (an object already removed is skipped)';

/**
 * Unlink the objects `keys` (already checked with assertKey) in every storage class, then fsync each folder that lost
 * one. Call only after a checkpoint: recovery would bring back an object whose journal line is not materialized yet.
 * A failure is a typed error (asDataDirFailure) naming the path and the fix, and saying what is left: a folder this
 * process cannot write is refused before anything is unlinked; a failure after that names the objects removed so far.
 */
export function removeObjects(layout: DataDirLayout, cache: DirCache, keys: readonly string[]): void {
  const what = `removing ${keys.length} object(s) from the log`;
  const placesOf = (key: string) => [hotPath(layout, key), restoredPath(layout, key), ...ARCHIVE_CLASSES.map((c) => archivePath(layout, c, key))];
  refuseUnwritable(layout, new Set(keys.flatMap((key) => placesOf(key).map((p) => dirname(p)))), what);
  const dirs = new Set<string>();
  let removed = 0;
  for (const key of keys) {
    const paths = placesOf(key);
    cache.settled(paths[0]!);
    try {
      for (const p of paths) if (unlinkIfExists(p)) dirs.add(dirname(p));
    } catch (error) {
      throw asDataDirFailure(error, { doing: what, path: paths[0]!, dataDir: layout.root, kept: `${removed} of them were removed before ${key}, which may have lost some of its copies (storage classes), and the rest are kept; ${AGAIN}` });
    }
    removed += 1;
  }
  for (const d of dirs) {
    try {
      fsyncDirSync(d);
    } catch (error) {
      throw asDataDirFailure(error, { doing: what, path: d, dataDir: layout.root, kept: `every one was unlinked, but ${d} was not synced, so a crash may bring some back; ${AGAIN}` });
    }
  }
}

/** Refuse, removing nothing, when a folder holding objects to remove cannot be written (a missing one holds none). */
function refuseUnwritable(layout: DataDirLayout, folders: ReadonlySet<string>, what: string): void {
  for (const folder of folders) {
    try {
      accessSync(folder, constants.W_OK | constants.X_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw asDataDirFailure(error, { doing: what, path: folder, dataDir: layout.root, kept: 'nothing was removed' });
    }
  }
}
