// Data dirs for the reliability tests: on tmpfs (/dev/shm) when there is one, else the OS temp dir.
// These tests kill processes, they do not cut power (power cuts are simulated on the files, see power-cut.ts), so
// the fsyncs a disk would make them wait for buy nothing here; tmpfs keeps hundreds of restarts within seconds.

import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.ts';

const SHM = '/dev/shm';
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function shmWritable(): boolean {
  try {
    accessSync(SHM, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const useShm = shmWritable();

/** A fresh empty folder, removed when the process exits. */
export function scratchDir(prefix = 'eventlake-rel-'): string {
  if (!useShm) return tempDir(prefix);
  const dir = mkdtempSync(join(SHM, prefix));
  made.push(dir);
  return dir;
}
