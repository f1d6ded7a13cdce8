// The file moves of the local archive tier: durable copies, restored copies as hard links, durable unlinks.

import { chmod, copyFile, link, mkdir, rename, rmdir, stat } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { fsyncPath, tempPathFor, unlinkIfExists } from './durable-fs.ts';
import { DIR_MODE, ensureDir, FILE_MODE } from './layout.ts';

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)));
}

/** Copy into a hidden temp file, fsync it, rename it into place, fsync the folder: `to` is whole or absent. */
export async function copyDurably(from: string, to: string): Promise<void> {
  await ensureDir(dirname(to));
  const tmp = tempPathFor(to);
  try {
    await copyFile(from, tmp);
    await chmod(tmp, FILE_MODE);
    await fsyncPath(tmp);
    await rename(tmp, to);
  } catch (error) {
    unlinkIfExists(tmp); // a copy cut short by a full disk: check would report it as a crash's temp file
    throw error;
  }
  await fsyncPath(dirname(to));
}

/**
 * The readable copy of a restore: a hard link to the archived file when the file system allows, else a durable copy.
 * Why a link is a copy here: archived files are never written in place (a transition writes a new file and unlinks
 * the old name, expiry unlinks the restored name), so two names of one inode read the same bytes for as long as
 * either exists, and those bytes were fsynced when archived: only the new name needs making durable (rename + fsync
 * of the folder). A restore then costs a few metadata writes instead of reading and fsyncing the whole segment.
 * The folder of `to` must exist (`makeFolders`: the caller removes what it made if the copy fails).
 */
export async function restoreCopy(from: string, to: string): Promise<void> {
  const tmp = tempPathFor(to);
  try {
    await link(from, tmp).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      unlinkIfExists(tmp); // left by a crash: the link is made again
      await link(from, tmp);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    return copyDurably(from, to); // another device, or a file system without hard links
  }
  try {
    await rename(tmp, to);
  } catch (error) {
    unlinkIfExists(tmp); // check would report it as a crash's temp file
    throw error;
  }
  await fsyncPath(dirname(to));
}

/** `mkdir -p dir`; returns the folders it made, deepest first (none when `dir` existed). */
export async function makeFolders(dir: string): Promise<string[]> {
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const made: string[] = [];
  for (let at = dir; first !== undefined; at = dirname(at)) {
    made.push(at);
    if (at === first || dirname(at) === at) break;
  }
  return made;
}

/**
 * Remove those of `folders` that are empty, deepest first, so a folder emptied by removing its children goes too.
 * Best effort: a folder left (not empty, or refused) is harmless, and the caller's own error is the one to report.
 */
export async function removeEmptyFolders(folders: Iterable<string>): Promise<void> {
  const deepestFirst = [...new Set(folders)].sort((a, b) => b.split(sep).length - a.split(sep).length);
  for (const folder of deepestFirst) await rmdir(folder).catch(() => undefined);
}

export async function unlinkDurably(path: string): Promise<void> {
  if (unlinkIfExists(path)) await fsyncPath(dirname(path));
}
