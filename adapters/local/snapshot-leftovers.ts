// Leftover snapshot data files: a `.db` without its `.json` sidecar, which a take or a remove killed between its two
// steps leaves behind. They are never listed (the sidecar is the commit mark), so only this reclaims their space.

import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A data file removed because no sidecar lists it. */
export interface SnapshotLeftover {
  readonly id: string;
  readonly bytes: number;
}

/**
 * How old a data file's last write must be before it counts as left over. Why an age: a take renames its `.db` into
 * place and writes the sidecar a moment later, with no lock held; a `.db` written this recently may be that take's.
 */
export const LEFTOVER_AGE_MS = 60 * 60_000;

/** Remove the `.db` files of `dir` without a sidecar whose last write is `LEFTOVER_AGE_MS` before `now`. */
export async function removeSnapshotLeftovers(dir: string, now: number, idPattern: RegExp): Promise<SnapshotLeftover[]> {
  const names: string[] = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  const removed: SnapshotLeftover[] = [];
  for (const name of names) {
    const id = name.replace(/\.db$/, '');
    if (id === name || !idPattern.test(id) || names.includes(`${id}.json`)) continue;
    const file = join(dir, name);
    const info = await stat(file);
    if (!info.isFile() || now - info.mtimeMs < LEFTOVER_AGE_MS) continue;
    await unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    removed.push({ id, bytes: info.size });
  }
  return removed;
}
