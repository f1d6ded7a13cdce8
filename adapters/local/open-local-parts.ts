// Opening the local adapters of one data dir for openLocalEventlake: every database and the recovered log, or, when
// one of them fails to open (a full disk under projections.db, say), none: those opened already are closed again.

import { FsArchiveTier, type StorageChangeListener } from './fs-archive-tier.ts';
import { FsEventLog } from './fs-event-log.ts';
import type { DataDirLayout } from './layout.ts';
import { INDEXER_CURSOR } from './local-indexer.ts';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store.ts';
import { SqliteDeadLetterStore } from './sqlite-dead-letter-store.ts';
import { SqliteEventIndex } from './sqlite-event-index.ts';
import { SqliteProjectionStore } from './sqlite-projection-store.ts';

/** The local adapters that hold files open, before decoration. */
export interface LocalParts {
  readonly sqliteIndex: SqliteEventIndex;
  readonly fsLog: FsEventLog;
  readonly sqliteStore: SqliteProjectionStore;
  readonly checkpointStore: SqliteCheckpointStore;
  readonly deadLetterStore: SqliteDeadLetterStore;
  readonly fsArchive: FsArchiveTier;
}

/** What the archive tier is opened with, and the lake's projections (the projection store refuses any other name). */
export interface ArchivePartOptions {
  readonly restoreDelayMs: number;
  readonly now: () => number;
  readonly onStorageChange: StorageChangeListener;
  readonly projections?: readonly string[];
}

type Closable = { close(): unknown };

/**
 * Open every local adapter of the data dir, in order. Why the cleanup: a caller given an error has nothing to close,
 * so databases left open by a later opener's failure stayed open (file handles, SQLite's -wal/-shm) for the
 * process's life. What closing them throws is dropped: the opener's error is the one that says what to fix.
 * `signal`, aborted by close(), ends the index's and the projection store's waits for another process's lock at once.
 */
export async function openLocalParts(layout: DataDirLayout, { projections, ...archive }: ArchivePartOptions, signal?: AbortSignal): Promise<LocalParts> {
  const opened: Closable[] = [];
  const keep = <T extends Closable>(part: T): T => {
    opened.push(part);
    return part;
  };
  try {
    const sqliteIndex = keep(new SqliteEventIndex(layout.indexDb, signal ? { signal } : {}));
    // The indexer is the journal's one reader: its checkpoint in index.db (shared by every process on the data dir)
    // is what lets the log delete journal segments. Read undecorated: the log's housekeeping is not a port call.
    const fsLog = keep(await FsEventLog.open(layout.root, { journalReaders: () => sqliteIndex.cursor(INDEXER_CURSOR) }));
    return {
      sqliteIndex,
      fsLog,
      sqliteStore: keep(new SqliteProjectionStore(layout.projectionsDb, { ...(signal ? { signal } : {}), ...(projections ? { projections } : {}) })),
      checkpointStore: keep(new SqliteCheckpointStore(layout.dispatchDb)),
      deadLetterStore: keep(new SqliteDeadLetterStore(layout.dispatchDb)),
      fsArchive: keep(new FsArchiveTier({ dataDir: layout.root, ...archive })),
    };
  } catch (error) {
    for (const part of opened.reverse()) await Promise.resolve().then(() => part.close()).catch(() => undefined);
    throw error;
  }
}
