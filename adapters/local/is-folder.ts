// Whether a path names a folder, for the checks that refuse a data dir before touching it.

import { statSync } from 'node:fs';

/** Whether `path` is a folder (following symlinks); false when it is missing, a file, or under a file (ENOTDIR). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false; // ENOTDIR: a file part-way along the path
  }
}
