// Opening FsEventLog: its journal and its recovery, or, when a file of the data dir may not be read or written
// there, a DataDirNotWritableError naming it, with the journal released.

import { resolve } from 'node:path';
import { asNotWritable } from './data-dir-access.ts';
import { RECOVERY_KEPT } from './log-checkpoints.ts';

/** What `openRecovered` opens: a log that recovers, and closes when its recovery fails. */
interface Recoverable {
  recover(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * `create()`'s log, recovered. Why the mapping here: an unwritable journal or event folder (EACCES, EROFS) reached the
 * caller as a raw errno with a stack, from the log's constructor or its recovery. Whatever fails, a log created is
 * closed before the error is thrown (its journal was left open for the life of the process).
 */
export async function openRecovered<T extends Recoverable>(dataDir: string, create: () => T): Promise<T> {
  const root = resolve(dataDir);
  let log: T | undefined;
  try {
    log = create();
    await log.recover();
    return log;
  } catch (error) {
    await log?.close().catch(() => undefined);
    throw asNotWritable(error, { doing: `opening the event log of ${root}`, path: root, dataDir: root, kept: RECOVERY_KEPT, access: 'use' });
  }
}
