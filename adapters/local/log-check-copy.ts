// One state of a live SQLite file for `checkLog`'s private copy: the main file and its WAL copied so that together
// they read as the database did at one moment, though a process keeps writing it.

import { closeSync, copyFileSync, openSync, readSync, rmSync } from 'node:fs';
import { TransientError } from '../../domain/errors.ts';

/** Copies tried before giving up on a file whose WAL restarts under every one. */
const ATTEMPTS = 5;
/** Bytes of a WAL header: its salts change each time the WAL restarts. */
const WAL_HEADER = 32;

/** The WAL's header, or '' when it has none (absent or empty). */
function walHeader(wal: string): string {
  let fd: number;
  try {
    fd = openSync(wal, 'r');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const header = Buffer.alloc(WAL_HEADER);
    return header.subarray(0, readSync(fd, header, 0, WAL_HEADER, 0)).toString('hex');
  } finally {
    closeSync(fd);
  }
}

/**
 * Copy `file` to `copy`, and its WAL to `copy`-wal when it holds any. Why the WAL header is compared around the copy:
 * a checkpoint moves committed pages into the main file and the writer may then restart the WAL from its start; a
 * main file copied before that checkpoint paired with a WAL copied after the restart lacks the checkpointed commits
 * (their rows would read as lost). Without a restart the copied WAL holds every frame the main file may lag, so a main
 * file copied during a checkpoint still reads whole. Throws `TransientError` when the WAL restarted during each of
 * `ATTEMPTS` copies. `afterMain` is a test seam, run once after the first copy of the main file.
 */
export function copyOneState(file: string, copy: string, afterMain?: () => void): void {
  const wal = `${file}-wal`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const before = walHeader(wal);
    copyFileSync(file, copy);
    if (attempt === 1) afterMain?.();
    rmSync(`${copy}-wal`, { force: true });
    if (before !== '') copyFileSync(wal, `${copy}-wal`);
    if (walHeader(wal) === before) return;
  }
  throw new TransientError(`${file} changed under each of ${ATTEMPTS} copies (a process checkpoints its WAL that often); run the check again`);
}
