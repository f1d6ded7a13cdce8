// Turns journal lines into event files: the checkpoint settles every line from the durable marker on (settle-object.ts
// settles each one), fsyncs what it settled, and advances the marker.

import { dirname } from 'node:path';
import { JournalSegmentDeletedError } from '../../domain/errors.ts';
import { fsyncPath, inParallel, removeStaleTemps } from './durable-fs.ts';
import type { IngestJournal, JournalLine } from './ingest-journal.ts';
import { parseBatchRef } from './journal-line-format.ts';
import type { DirCache } from './dir-cache.ts';
import type { DataDirLayout } from './layout.ts';
import { settle, settleBatch, type Settled } from './settle-object.ts';

export { batchBytes, settle, settleBatch, type BatchLines, type Settled } from './settle-object.ts';

/** An append this process journaled (bytes `start`..`end`) and whose batch objects (`paths`) it created itself. */
export interface KnownAppend {
  readonly start: number;
  readonly end: number;
  readonly paths: readonly string[];
  /** Journal lines (events) it holds. */
  readonly lines: number;
}

/** What a checkpoint did. */
export interface CheckpointReport {
  /** Journal lines examined. */
  readonly checked: number;
  /** Event files created or repaired from the journal. */
  readonly rematerialized: number;
  /** The durable "materialized up to" offset afterwards. */
  readonly materialized: number;
}

/**
 * The journal page at `offset`, or where to go on when another process's checkpoint materialized past it and
 * deleted its segment while this one was reading (the marker says so: nothing there is left to settle).
 */
function readPast(journal: IngestJournal, offset: number): ReturnType<IngestJournal['read']> | number {
  try {
    return journal.read(offset, 5_000);
  } catch (error) {
    if (!(error instanceof JournalSegmentDeletedError) || journal.materialized() < error.oldest) throw error;
    return error.oldest;
  }
}

function fsyncAll(paths: Iterable<string>): Promise<void> {
  return inParallel([...paths], fsyncPath);
}

/**
 * Settle every journal line from the durable marker to the journal's current end, fsync their files and folders
 * (and the folders' parents up to the data dir, as new folders are names in their parents), then advance the marker.
 * With `cleanTemps`, also removes temp files that dead processes left in those folders (used on open).
 */
export async function checkpoint(layout: DataDirLayout, journal: IngestJournal, dirs: DirCache, cleanTemps = false, end = journal.size(), known: readonly KnownAppend[] = []): Promise<CheckpointReport> {
  const start = journal.materialized();
  const ours = new Map(known.map((k) => [k.start, k]));
  let offset = start;
  let checked = 0;
  let rematerialized = 0;
  const folders = new Set<string>();
  const removedBefore = () => journal.materialized();
  let files: string[] = [];
  const settled = (s: Settled, lines: number) => {
    if ('path' in s && s.path) dirs.settled(s.path);
    checked += lines;
    if (s.state === 'created' || s.state === 'repaired') rematerialized += lines;
    if (!('path' in s) || !s.path) return;
    files.push(s.path);
    const dir = dirname(s.path);
    if (folders.has(dir)) return;
    if (cleanTemps) removeStaleTemps(dir);
    for (let d = dir; d.startsWith(layout.root) && d !== layout.root; d = dirname(d)) folders.add(d);
  };
  // A batch object is settled once all its lines are read: they interleave with its append's other objects, and a
  // page may end inside them. Objects still open at the end lost their last lines to a crash (a torn, unacknowledged
  // append): what the journal kept of them, a prefix, is all they hold.
  const open = new Map<string, { key: string; lines: JournalLine[]; bytes: number }>();
  const flush = (b: { key: string; lines: JournalLine[] }) => {
    open.delete(b.key);
    settled(settleBatch(layout, dirs, b, removedBefore), b.lines.length);
  };
  const starts = [...ours.keys()].sort((a, b) => a - b);
  while (offset < end) {
    const mine = ours.get(offset);
    if (mine && mine.end <= end) {
      // This process wrote this append and its objects just now: nothing to read back, only to fsync.
      for (const path of mine.paths) settled({ state: 'present', storageClass: 'STANDARD', path }, 0);
      checked += mine.lines;
      offset = mine.end;
      continue;
    }
    const stop = Math.min(end, starts.find((s) => s > offset) ?? end);
    const page = readPast(journal, offset);
    if (typeof page === 'number') {
      // Batches begun before the deleted segment's end were not torn: the rest of their lines was deleted with it, and
      // the marker says the other process made them whole. Flushed at the end, they would be cut to the lines read.
      open.clear();
      offset = page;
      continue;
    }
    const { lines, next } = page;
    if (next === offset) break;
    for (const line of lines) {
      if (line.offset >= stop) break;
      const ref = parseBatchRef(line.key);
      if (!ref) {
        settled(settle(layout, dirs, line, removedBefore), 1);
        continue;
      }
      let batch = open.get(ref.key);
      if (!batch || ref.offset < batch.bytes) {
        if (batch) flush(batch); // a line that restarts an object: the rest of the earlier copy was torn
        open.set(ref.key, (batch = { key: ref.key, lines: [], bytes: 0 }));
      }
      batch.lines.push(line);
      batch.bytes = ref.offset + Buffer.byteLength(line.content) + 1;
      if (batch.bytes >= ref.size) flush(batch);
    }
    offset = Math.min(next, stop);
    if (files.length >= 5_000) {
      await fsyncAll(files);
      files = [];
    }
  }
  for (const b of [...open.values()]) flush(b);
  await fsyncAll(files);
  folders.add(layout.root);
  await fsyncAll(folders);
  if (cleanTemps) removeStaleTemps(layout.journalDir);
  if (offset > start) journal.publishMaterialized(offset);
  return { checked, rematerialized, materialized: Math.max(offset, journal.materialized()) };
}
