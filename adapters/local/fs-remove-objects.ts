// Removing log objects from a data dir durably: every place an object can be (hot, restored copy, each archive class).

import { dirname } from 'node:path';
import type { DirCache } from './dir-cache.ts';
import { fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { ARCHIVE_CLASSES, archivePath, hotPath, restoredPath, type DataDirLayout } from './layout.ts';

/**
 * Unlink the objects `keys` (already checked with assertKey) in every storage class, then fsync each folder that lost
 * one. Call only after a checkpoint: recovery would bring back an object whose journal line is not materialized yet.
 */
export function removeObjects(layout: DataDirLayout, cache: DirCache, keys: readonly string[]): void {
  const dirs = new Set<string>();
  for (const key of keys) {
    const paths = [hotPath(layout, key), restoredPath(layout, key), ...ARCHIVE_CLASSES.map((c) => archivePath(layout, c, key))];
    cache.settled(paths[0]!);
    for (const p of paths) if (unlinkIfExists(p)) dirs.add(dirname(p));
  }
  for (const d of dirs) fsyncDirSync(d);
}
