// repairIndex: rebuild a lost or damaged index.db from the log's objects, and deal with every position stored outside it.

import { readdirSync, statSync } from 'node:fs';
import { InvalidArgumentError, JournalSegmentDeletedError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { DirCache } from './dir-cache.ts';
import { removeStaleTemps, tempPathFor } from './durable-fs.ts';
import { FsArchiveTier } from './fs-archive-tier.ts';
import { FsEventLog } from './fs-event-log.ts';
import { compareIndexes, refuseIfInUse, removeDbFiles, reservePositionsThrough, STOP_FIRST, swapIndexFile } from './index-repair-files.ts';
import { IngestJournal } from './ingest-journal.ts';
import { checkpoint } from './materializer.ts';
import { forgetPositions, POSITIONS_KEPT, type PositionsReport } from './index-repair-positions.ts';
import { scanObjects, type ScanReport } from './index-repair-scan.ts';
import { dataDirLayout, type DataDirLayout } from './layout.ts';
import { INDEXER_CURSOR } from './local-indexer.ts';
import { SqliteEventIndex } from './sqlite-event-index.ts';

export { STOP_FIRST } from './index-repair-files.ts';

export interface IndexRepairOptions {
  /** Wall clock, epoch ms: the time in the names of what is kept aside, and of due restores. */
  readonly now?: () => number;
  /**
   * The accounts an event is indexed under: `registry.accountsOf` of the schemas the lake runs with (their
   * `x-eventlake-accounts`), as the indexer does. Default SourceAccount / TargetAccount.
   */
  readonly accountsOf?: (event: DomainEvent) => string[];
}

/** What `repairIndex` did. */
export interface IndexRepairReport extends ScanReport, PositionsReport {
  readonly dataDir: string;
  /**
   * `unchanged`: the old index.db was readable and every event in it kept its position; `changed`: some did not;
   * `unknown`: there was no readable old index to compare with (lost or damaged).
   */
  readonly positions: 'unchanged' | 'changed' | 'unknown';
  /** False when the rebuilt index equals the old one row for row: nothing was changed at all. */
  readonly replaced: boolean;
  /** Where the old index.db (and its -wal/-shm) is kept, if there was one and it was replaced. */
  readonly oldIndexKeptAt: string | undefined;
  /** The LocalIndexer's journal cursor in the new index: the journal's end, every event before it is in an object. */
  readonly indexerCursor: number;
  /**
   * True when the identity catalogue could not catch up from the journal (lost or damaged after segments were
   * deleted): the journal was materialized without it, and `repairCatalogue` must run next, from the new index.db.
   */
  readonly catalogueNeedsRepair: boolean;
}

/**
 * Rebuild `<dataDir>/index.db` from the objects on disk (hot, restored and archived copies alike). Every process using
 * the data dir must be stopped first: they hold index.db open and would keep writing to the replaced file. A
 * best-effort probe refuses (`TransientError`, nothing changed) while any of its SQLite files is open elsewhere.
 *
 * Steps: the journal is checkpointed (as opening the log does), so every acknowledged event is in an object; the new
 * index is built in a temp file beside index.db through SqliteEventIndex's put (rows exactly as the indexer writes
 * them, order as `scanObjects` explains), with the indexer's cursor at the journal's end; compared with the old index;
 * if equal, nothing changes; else, when positions moved, stored positions are dealt with (`forgetPositions`, whose
 * checkpoints hold for the old index too, so a repair stopped before the swap leaves a working data dir), positions
 * the new index gives later are reserved past those checkpoints, and the new file replaces index.db atomically, the old one kept as `index.db.damaged-<time>`. Idempotent: a second run
 * finds the same index and changes nothing.
 *
 * Throws `InvalidArgumentError` for a path that is not a data dir (nothing created), `TransientError` when the data
 * dir is in use, `StorageError` for an object whose bytes are not whole events (nothing changed).
 *
 * @example
 * const report = await repairIndex('./.eventlake'); // { eventsIndexed: 1200, positions: 'unknown', … }
 */
export async function repairIndex(dataDir: string, options: IndexRepairOptions = {}): Promise<IndexRepairReport> {
  const now = options.now ?? Date.now;
  const layout = dataDirLayout(dataDir);
  assertDataDir(layout);
  for (const file of [layout.indexDb, layout.dispatchDb, layout.projectionsDb, layout.archiveDb, layout.logCatalogue]) refuseIfInUse(file);
  const { end: indexerCursor, catalogueNeedsRepair } = await materializeJournal(layout);
  removeStaleTemps(layout.root); // a repair killed midway left its temp index (its pid is gone)
  const temp = tempPathFor(layout.indexDb);
  try {
    const scan = await buildIndex(layout, temp, indexerCursor, now, options.accountsOf);
    const compared = compareIndexes(layout.indexDb, temp, scan.archivedThrough);
    const positions = !compared.readable ? 'unknown' : compared.samePositions ? 'unchanged' : 'changed';
    const base = { dataDir: layout.root, ...scan, positions, indexerCursor, catalogueNeedsRepair } as const;
    if (compared.identical) {
      removeDbFiles(temp);
      return { ...base, ...POSITIONS_KEPT, replaced: false, oldIndexKeptAt: undefined };
    }
    // Basic ISO 8601 (no colons: the name stays valid on every file system).
    const stamp = new Date(now()).toISOString().replace(/[-:]/g, '');
    const forgotten = compared.samePositions ? POSITIONS_KEPT : await forgetPositions(layout, stamp, scan.archivedThrough, compared.old);
    reservePositionsThrough(temp, Math.max(0, ...forgotten.dispatchCheckpointsReset.map((c) => c.after)));
    const keptAt = swapIndexFile(temp, layout.indexDb, `${layout.indexDb}.damaged-${stamp}`);
    // An index that only lacked digests (an upgrade) was not damaged: keeping it under that name alarmed operators.
    if (compared.onlyDigestsMissing && keptAt) removeDbFiles(keptAt);
    const oldIndexKeptAt = compared.onlyDigestsMissing ? undefined : keptAt;
    return { ...base, ...forgotten, replaced: true, oldIndexKeptAt };
  } finally {
    removeDbFiles(temp); // gone after a swap; after a failure, nothing of the repair stays behind
  }
}

/**
 * Open the log as a start does (recover + checkpoint), close it; returns the journal's end. A catalogue that cannot
 * catch up (lost with index.db after segments were deleted: each would be rebuilt from the other) does not stop the
 * repair: every process is stopped, so no appender needs its lock, and the remaining journal is materialized without it.
 */
async function materializeJournal(layout: DataDirLayout): Promise<{ end: number; catalogueNeedsRepair: boolean }> {
  let log: FsEventLog;
  try {
    // No journalReaders: the old indexer cursor cannot be trusted, so no journal segment may be released here.
    log = await FsEventLog.open(layout.root, { checkpointEvery: 0 });
  } catch (error) {
    if (!(error instanceof JournalSegmentDeletedError)) throw error;
    return { end: await materializeWithoutCatalogue(layout), catalogueNeedsRepair: true };
  }
  try {
    await log.checkpoint();
    return { end: await log.journalEnd(), catalogueNeedsRepair: false };
  } finally {
    await log.close();
  }
}

/** The checkpoint recovery runs, on the journal alone: every line past the durable marker gets its object. */
async function materializeWithoutCatalogue(layout: DataDirLayout): Promise<number> {
  const journal = new IngestJournal(layout);
  try {
    journal.open();
    const end = journal.size();
    await checkpoint(layout, journal, new DirCache(), true, end);
    return end;
  } finally {
    journal.close();
  }
}

async function buildIndex(layout: DataDirLayout, file: string, indexerCursor: number, now: () => number, accounts?: (event: DomainEvent) => string[]): Promise<ScanReport> {
  // NORMAL: no fsync per page; the whole file is fsynced once before it replaces index.db.
  const index = new SqliteEventIndex(file, { synchronous: 'NORMAL' });
  let archive: FsArchiveTier | undefined;
  try {
    archive = new FsArchiveTier({ dataDir: layout.root, now });
    return await scanObjects(layout, archive, index, { name: INDEXER_CURSOR, value: indexerCursor }, accounts);
  } finally {
    archive?.close();
    index.close(); // the last connection: SQLite checkpoints the WAL into the file and removes it
  }
}

/** Files only a data dir's journal folder holds: its segments and the identity catalogue. */
const JOURNAL_FILE = /^(ingest(-\d+)?\.log|catalogue\.db)$/;

/** Refuse, creating nothing, a path that is not a data dir: no folder, or no journal (every data dir has one). */
function assertDataDir(layout: DataDirLayout): void {
  const hint = `point --data-dir (or EVENTLAKE_DATA_DIR) at the folder eventlake writes to, and ${STOP_FIRST.replace(/:$/, '')}`;
  if (!(statSync(layout.root, { throwIfNoEntry: false })?.isDirectory() ?? false)) throw new InvalidArgumentError('dataDir', `${layout.root} is not a folder; ${hint}`);
  // The first journal segment (ingest.log) is deleted once indexed, so any segment or the catalogue counts.
  const journal = statSync(layout.journalDir, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(layout.journalDir) : [];
  if (!journal.some((name) => JOURNAL_FILE.test(name))) {
    throw new InvalidArgumentError('dataDir', `${layout.root} has no journal (journal/ingest*.log or journal/catalogue.db), so it is not an eventlake data dir; ${hint}`);
  }
}
