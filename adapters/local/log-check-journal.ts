// The journal part of `checkLog`'s report: how much of the ingest journal is kept on disk, and how much of it only
// because the indexer has not read past it. Information, never a finding: a reader that stalls keeps every segment
// from its position on by design (it still has to read them), so the check shows the cost and who holds it.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { segmentStart } from './journal-segments.ts';
import type { DataDirLayout } from './layout.ts';
import { NOT_CHECKED, readOrRefuse, statOrRefuse } from './log-check-unreadable.ts';

/** The ingest journal's segment files as kept on disk, and what the indexer holds of them. */
export interface JournalRetention {
  /** Segment files kept, and their bytes together. */
  readonly segments: number;
  readonly bytes: number;
  /** Logical offsets of the oldest kept byte and of the journal's end. */
  readonly start: number;
  readonly end: number;
  /** The LocalIndexer's cursor in index.db: the reader a checkpoint waits for before it deletes a segment. */
  readonly indexerCursor: number;
  /**
   * Segments (and their bytes) kept because the indexer has not read past them; the last segment, always kept as
   * the one being written, is not counted. 0 while the indexer keeps up; growing while it is stalled (no process
   * opens the data dir to index, or its indexing fails).
   */
  readonly heldByIndexer: { readonly segments: number; readonly bytes: number };
}

/**
 * Measure the journal in `layout` against the indexer's cursor (read from the check's copy of index.db). A journal
 * folder or segment that cannot be read throws `StorageError`, ending "so `consequence`" (default: not checked).
 */
export function journalRetention(layout: DataDirLayout, indexerCursor: number, consequence = NOT_CHECKED): JournalRetention {
  const segments: { start: number; bytes: number }[] = [];
  for (const name of readOrRefuse(layout.journalDir, consequence, () => readdirSync(layout.journalDir))) {
    const start = segmentStart(name);
    const stat = start === undefined ? undefined : statOrRefuse(join(layout.journalDir, name), consequence);
    if (start !== undefined && stat) segments.push({ start, bytes: stat.size });
  }
  segments.sort((a, b) => a.start - b.start);
  const held = { segments: 0, bytes: 0 };
  let bytes = 0;
  segments.forEach((segment, i) => {
    bytes += segment.bytes;
    const next = segments[i + 1];
    if (next !== undefined && next.start > indexerCursor) {
      held.segments++;
      held.bytes += segment.bytes;
    }
  });
  const last = segments.at(-1);
  return { segments: segments.length, bytes, start: segments[0]?.start ?? 0, end: last ? last.start + last.bytes : 0, indexerCursor, heldByIndexer: held };
}
