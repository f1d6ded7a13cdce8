// The rule every opener of a local data dir applies before it creates anything: a data dir that holds events but
// lost index.db is refused. Why not make a new index.db as for a new data dir: it would be filled from the ingest
// journal, whose deleted segments held the events compaction moved, so reads would answer from a part of the log
// and a new event would get a position below the dispatch checkpoint, never applied. `repairIndex` rebuilds index.db
// from the objects instead (it opens the log itself, not through this guard).

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IndexLostError } from '../../domain/errors.ts';
import { isFolder } from './is-folder.ts';
import { ARCHIVE_CLASSES, type DataDirLayout } from './layout.ts';
import { journalRetention } from './log-check-journal.ts';
import { NOT_OPENED, readOrRefuse, statOrRefuse } from './log-check-unreadable.ts';

/**
 * Why the data dir holds stored events, touching nothing; undefined when it holds none. Every event is journaled
 * before it is acknowledged and the journal's end never goes back (a deleted segment leaves a later one starting
 * where it ended, and the materialized marker is named for an offset), so a data dir opened but never written (empty
 * journal, perhaps a catalogue) holds none. Neither the catalogue file nor index.db tells: opening creates both
 * before any event. A journal deleted whole (or made again, empty) tells nothing either: the event objects then do.
 */
export function storedEvents(layout: DataDirLayout): string | undefined {
  if (!isFolder(layout.root)) return undefined;
  const end = isFolder(layout.journalDir) ? Math.max(journalRetention(layout, 0, NOT_OPENED).end, materializedMark(layout)) : 0;
  if (end > 0) return `its ingest journal reaches offset ${end}`;
  const object = [layout.root, ...ARCHIVE_CLASSES.map((c) => join(layout.archive, c))].map((root) => firstObject(join(root, 'events'))).find(Boolean);
  return object === undefined ? undefined : `its event folders hold objects, ${relative(layout.root, object)} first`;
}

/**
 * Throw `IndexLostError` (naming the data dir and `eventlake --data-dir DIR repair index`) when `layout` has no
 * index.db, or an empty one, but holds stored events (`storedEvents`); creates nothing. A new path, a data dir never written, or one
 * with index.db pass; so does a path that is no folder (a file, or under one), which the caller refuses in its own words.
 * One the running user cannot enter or list throws `StorageError` naming the path, its owner's uid and the fix.
 */
export function refuseLostIndex(layout: DataDirLayout): void {
  // Asked first: under a file, the stat of index.db threw a raw ENOTDIR, shown to a CLI user as a stack trace.
  if (!isFolder(layout.root)) return;
  // An emptied index.db (a failed copy, a truncation) is lost too: SQLite takes 0 bytes for a new database.
  // A data dir the user cannot enter is refused here, in words naming its owner: it threw a raw EACCES.
  if ((statOrRefuse(layout.indexDb, NOT_OPENED)?.size ?? 0) > 0) return;
  const evidence = storedEvents(layout);
  if (evidence !== undefined) throw new IndexLostError(layout.root, evidence);
}

/** The highest offset a `materialized.<offset>` marker names (0 without one). */
function materializedMark(layout: DataDirLayout): number {
  const prefix = `${layout.materializedMarker.slice(layout.journalDir.length + 1)}.`;
  const marks = readOrRefuse(layout.journalDir, NOT_OPENED, () => readdirSync(layout.journalDir)).filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length)));
  return Math.max(0, ...marks.filter(Number.isSafeInteger));
}

/** The partition folders under `events/`, outermost first: a folder holding them is eventlake's, not any `events/`. */
const PARTITIONS = [/^year=\d{4}$/, /^month=\d{2}$/, /^day=\d{2}$/, /^hour=\d{2}$/];

/** The first object file in an hour partition under `dir` (names starting with `.`, temp files, skipped as listings skip them). */
function firstObject(dir: string, depth = 0): string | undefined {
  if (!isFolder(dir)) return undefined;
  // Refused, not skipped: an events folder read as empty would let a data dir that lost index.db open as a new one.
  for (const entry of readOrRefuse(dir, NOT_OPENED, () => readdirSync(dir, { withFileTypes: true }))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const found = depth === PARTITIONS.length ? (entry.isFile() ? path : undefined)
      : entry.isDirectory() && PARTITIONS[depth]!.test(entry.name) ? firstObject(path, depth + 1) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A folder is there (a path under a file is not one: no ENOTDIR thrown, the opener reports such a path itself). */