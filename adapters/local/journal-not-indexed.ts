// Events durable in the ingest journal that the indexer has not reached yet, counted without writing: for `eventlake
// status` and `eventlake check`, which run without a catch-up (a killed emit leaves such events until the next one).

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { NEWLINE, parseLine } from './journal-line-format.ts';
import { segmentName, segmentStart } from './journal-segments.ts';
import type { DataDirLayout } from './layout.ts';
import { readOrRefuse, statOrRefuse } from './log-check-unreadable.ts';

/** What the journal holds past the indexer's cursor. */
export interface JournalNotIndexed {
  /** Whole, checksummed journal lines from `indexerCursor` to `journalEnd`: events stored but not in index.db yet. */
  readonly events: number;
  /** The LocalIndexer's cursor in index.db the count starts from. */
  readonly indexerCursor: number;
  /** The journal's logical end when it was read. */
  readonly journalEnd: number;
}

/** What a caller says after a journal file it cannot read: the end of a sentence starting "so". */
export const NOT_COUNTED = 'the events the journal holds past the indexer\'s cursor were not counted';

/** Bytes read at a time; a line longer than this is carried into the next read. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Count the events journaled at or past `indexerCursor` (read from index.db by the caller) in the data dir at
 * `layout`. Read-only: no lock is taken and nothing is created, so it runs on a data dir opened read-only and beside
 * writers. Lines past the catalogue's cursor (an append killed between its journal fsync and its commit) count too:
 * they are durable, and the next writer's recovery records and indexes them. A torn line, the empty line that starts
 * each append and a last line still being written (no newline yet) are not events. When nothing is pending this
 * reads the folder and stats the last segment only. A segment deleted meanwhile was indexed meanwhile (segments go
 * only once the indexer passed them): it counts 0. A folder or file it cannot read (EACCES…) is a `StorageError`
 * ending "so `consequence`".
 *
 * @example
 * const { events } = journalNotIndexed(dataDirLayout(dir), await index.cursor(INDEXER_CURSOR)); // 0 when caught up
 */
export function journalNotIndexed(layout: DataDirLayout, indexerCursor: number, consequence = NOT_COUNTED, chunkBytes = CHUNK_BYTES): JournalNotIndexed {
  const names = readOrRefuse(layout.journalDir, consequence, () => readdirSync(layout.journalDir), () => []);
  const starts = names.map(segmentStart).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  const last = starts.at(-1);
  const size = last === undefined ? undefined : statOrRefuse(join(layout.journalDir, segmentName(last)), consequence)?.size;
  const journalEnd = last === undefined ? 0 : last + (size ?? 0);
  let events = 0;
  if (indexerCursor < journalEnd) {
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      if (next !== undefined && next <= indexerCursor) return; // wholly before the cursor: indexed
      const path = join(layout.journalDir, segmentName(start));
      events += readOrRefuse(path, consequence, () => countLines(path, Math.max(indexerCursor - start, 0), chunkBytes), () => 0);
    });
  }
  return { events, indexerCursor, journalEnd };
}

/** Valid journal lines in the file at `path` from byte `from` to its end; bytes after its last newline are not a line. */
function countLines(path: string, from: number, chunkBytes: number): number {
  const fd = openSync(path, 'r');
  try {
    let count = 0;
    let carry = Buffer.alloc(0);
    for (let pos = from; ; ) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, chunk, 0, chunkBytes, pos);
      if (n === 0) return count;
      pos += n;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
        if (parseLine(buf.subarray(start, nl))) count++;
        start = nl + 1;
      }
      carry = buf.subarray(start);
    }
  } finally {
    closeSync(fd);
  }
}
