// Why a path cannot be a data dir folder (a file, a path under a file, a symlink to nothing), told apart before
// anything touches it, so each caller can refuse it in its own words: the CLI names --data-dir, the API names dataDir.

import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * What is wrong with `path` as a data dir, as the end of a sentence that starts with the resolved path ("is a
 * file, not a folder"); undefined when it is a folder or nothing is there yet (a folder can be made). Touches nothing.
 *
 * @example
 * const problem = dataDirPathProblem('./notes.txt'); // 'is a file, not a folder'
 */
export function dataDirPathProblem(path: string): string | undefined {
  const absolute = resolve(path);
  let stats;
  try {
    stats = statSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    return `is under the file ${fileAbove(absolute)}, so no folder can be made there`;
  }
  if (stats !== undefined) return stats.isDirectory() ? undefined : 'is a file, not a folder';
  // A symlink to nothing (its folder moved or unmounted) failed in mkdir with a raw ENOENT.
  if (lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink()) return `is a symlink to ${readlinkSync(absolute)}, which does not exist (mount or create it)`;
  return undefined;
}

/** The nearest ancestor of `path` that exists and is no folder (ENOTDIR says one is there). */
function fileAbove(path: string): string {
  for (let up = dirname(path); up !== dirname(up); up = dirname(up)) {
    try {
      if (statSync(up, { throwIfNoEntry: false })?.isDirectory() === false) return up;
    } catch {
      // ENOTDIR again: the file is further up
    }
  }
  return dirname(path);
}
