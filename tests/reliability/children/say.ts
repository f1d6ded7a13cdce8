// A child's line to its parent, written synchronously so it survives a SIGKILL right after. Why the loop: stdout is a
// non-blocking pipe, and when the parent is slow to read (a loaded machine, three test files at once) a write fails
// with EAGAIN or lands in part; that is back-pressure, not a failure of the child's workload.

import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Write `line` and a newline to fd 1, whole, waiting out a full pipe. */
export function say(line: string): void {
  let bytes = Buffer.from(`${line}\n`);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
