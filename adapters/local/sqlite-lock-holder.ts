// Which process holds a WAL database's write lock, for the words of a busy error: read from the kernel's lock table
// (Linux /proc/locks), where SQLite's write lock is a POSIX lock on byte 120 of the database's -shm file.

import { readFileSync, statSync } from 'node:fs';

/** SQLite's unix VFS: the -shm lock bytes start at 120 ((22 + 8) * 4), and the WAL write lock is the first of them. */
const WAL_WRITE_LOCK_BYTE = 120;

/** Test seam: the kernel's lock table and a process's command line ('' where there is no /proc). */
export const lockTable = {
  locks: (): string => readFileSync('/proc/locks', 'utf8'),
  commandLine: (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '),
};

/**
 * `pid N (command line)` of the process holding the write lock of WAL database `file`, or undefined when it cannot be
 * told (no /proc, no -shm file, the holder in another pid namespace or gone): callers then name the usual holders.
 *
 * @example
 * writeLockHolder('/data/index.db'); // 'pid 4242 (node --import tsx cli/main.ts serve --data-dir /data)'
 */
export function writeLockHolder(file: string): string | undefined {
  try {
    const inode = statSync(`${file}-shm`).ino;
    for (const line of lockTable.locks().split('\n')) {
      // "1: POSIX  ADVISORY  WRITE 4242 fe:00:5449065 120 120"
      const [, kind, , mode, pid, device, start] = line.trim().split(/\s+/);
      if (kind !== 'POSIX' || mode !== 'WRITE' || Number(start) !== WAL_WRITE_LOCK_BYTE) continue;
      if (Number(device?.split(':')[2]) !== inode || !(Number(pid) > 0)) continue;
      return `pid ${pid}${commandOf(Number(pid))}`;
    }
  } catch {
    // Only the message is at stake: without a lock table it names the usual holders instead.
  }
  return undefined;
}

function commandOf(pid: number): string {
  try {
    const line = lockTable.commandLine(pid);
    return line === '' ? '' : ` (${line.length > 200 ? `${line.slice(0, 200)}…` : line})`;
  } catch {
    return '';
  }
}
