// Which journal segments may go: the rule that keeps the ingest journal bounded without losing what anything needs.

import type { IngestJournal } from './ingest-journal.ts';
import type { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';

/**
 * The lowest journal offset a reader of `FsEventLog.journalSince` still has to read: the LocalIndexer's checkpoint
 * in index.db. Read from durable state, so every process appending to the data dir sees the same value.
 */
export type JournalReaders = () => number | Promise<number>;

/**
 * Delete the journal segments that end at or before all of: the durable materialized marker (their events' objects
 * are durable), every reader's checkpoint (nothing will ask for their lines), and the catalogue's cursor made durable
 * (a catalogue that lost commits to a power cut catches up from its cursor, which must still be in the journal).
 * Deletes under the catalogue lock, like rotation, so no appender or other process's check sees a half-changed set.
 * A crash part way leaves a contiguous run of segments; the next call deletes the rest. Returns segments deleted.
 */
export async function releaseSegments(journal: IngestJournal, catalogue: SqliteLogCatalogue, readers: JournalReaders): Promise<number> {
  const starts = journal.segmentStarts();
  if (starts.length < 2) return 0; // the last segment is being written: it always stays
  const needed = Math.min(journal.materialized(), await readers());
  if (starts[1]! > needed) return 0;
  const durable = catalogue.durableCursor();
  if (durable === undefined) return 0; // other connections held the WAL checkpoint off: try at the next checkpoint
  const before = Math.min(needed, durable);
  return catalogue.locked(() => journal.deleteBefore(before));
}
