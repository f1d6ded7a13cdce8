// The rule every opener of a local data dir applies before it creates anything: a data dir that holds events but
// lost index.db is refused. Why not make a new index.db as for a new data dir: it would be filled from the ingest
// journal, whose deleted segments held the events compaction moved into segments, so reads would answer from a part
// of the log and a new event would get a position below the dispatch checkpoint, never applied. `repairIndex`
// rebuilds index.db from the objects instead (it opens the log itself, not through this guard).

import { existsSync, statSync } from 'node:fs';
import { IndexLostError } from '../../domain/errors.ts';
import type { DataDirLayout } from './layout.ts';
import { journalRetention } from './log-check-journal.ts';

/**
 * Whether the data dir holds stored events, touching nothing: its ingest journal's logical end is past 0. Every event
 * is journaled before it is acknowledged, and the end never goes back (a deleted segment leaves a later one starting
 * where it ended), so a data dir opened but never written (empty journal, perhaps a catalogue) holds none. Neither
 * the catalogue file nor index.db tells: opening creates both before any event. Returns the journal's end.
 */
export function storedJournalEnd(layout: DataDirLayout): number {
  if (!isFolder(layout.root) || !isFolder(layout.journalDir)) return 0;
  return journalRetention(layout, 0).end;
}

/**
 * Throw `IndexLostError` (naming the data dir and `eventlake --data-dir DIR repair index`) when `layout` has no
 * index.db but holds stored events (`storedJournalEnd`); creates nothing. A new path, a data dir never written, or
 * one with index.db pass.
 */
export function refuseLostIndex(layout: DataDirLayout): void {
  if (existsSync(layout.indexDb)) return;
  const end = storedJournalEnd(layout);
  if (end > 0) throw new IndexLostError(layout.root, end);
}

/** A folder is there (a path under a file is not one: no ENOTDIR thrown, the opener reports such a path itself). */
function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
