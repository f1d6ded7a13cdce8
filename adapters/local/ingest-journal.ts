// The ingest journal (journal/ingest*.log segments): FsEventLog's write-ahead log, one checksummed line per stored event.

import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { JournalSegmentDeletedError } from '../../domain/errors.ts';
import { createOnce, fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { journalBytes, NEWLINE, parseLine, type JournalRecord } from './journal-line-format.ts';
import { DEFAULT_SEGMENT_BYTES, JournalSegments } from './journal-segments.ts';
import type { DataDirLayout } from './layout.ts';

export { batchRef, journalBytes, parseBatchRef, type BatchRef, type JournalRecord } from './journal-line-format.ts';

/** A journaled event and the byte offsets of its line. */
export interface JournalLine extends JournalRecord {
  readonly offset: number;
  /** Offset just after the line's newline. */
  readonly end: number;
}

/**
 * Line format (journal-line-format.ts): `<key>\t<content>\t<crc32 of "<key>\t<content>", 8 hex>\n`. Content is
 * JSON, which escapes tabs and newlines, so both split safely. Each append is one write() of `\n` + its lines on an
 * O_APPEND descriptor: concurrent processes never interleave inside a write, and the leading newline ends any torn
 * line a crashed writer left, so the torn line fails its checksum and is skipped instead of swallowing the next
 * batch's first line.
 *
 * The journal is a run of segment files (JournalSegments) addressed by logical offsets: an append moves to a new
 * segment once the last one holds `segmentBytes`, and `deleteBefore` drops whole segments a caller no longer needs.
 * Reading an offset in a deleted segment throws `JournalSegmentDeletedError`.
 */
export class IngestJournal {
  private readonly segments: JournalSegments;
  private readonly markerPrefix: string;
  private opened = false;

  constructor(private readonly layout: DataDirLayout, private readonly segmentBytes = DEFAULT_SEGMENT_BYTES) {
    this.markerPrefix = `${basename(layout.materializedMarker)}.`;
    this.segments = new JournalSegments(layout);
  }

  /** Create the journal if needed and make its name durable. */
  open(): void {
    if (this.opened) return;
    this.segments.refresh();
    fsyncDirSync(this.layout.journalDir);
    fsyncDirSync(this.layout.root);
    this.opened = true;
  }

  /**
   * Append records and fdatasync once (the group commit). When this returns, the records survive a crash.
   * Returns the journal's end after them, exact when no other process appends at the same time (FsEventLog appends
   * under its catalogue's lock) and `size` is the end before them, read by `size()` under the same lock (read from
   * the files when not given). Moves to a new segment first when the last one is full.
   */
  append(records: readonly JournalRecord[], size?: number): number {
    if (records.length === 0) return size ?? this.size();
    return this.appendBytes(journalBytes(records), size);
  }

  /** `append` of the bytes `journalBytes` made: for an appender that needs their length before they are written. */
  appendBytes(buf: Buffer, size?: number): number {
    const before = size ?? this.size();
    const fd = this.segments.appendFdFor(before, this.segmentBytes);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fdatasyncSync(fd);
    return before + buf.length;
  }

  /**
   * Cut the journal back to `offset` (ftruncate, then fdatasync): undoes an append that failed before its catalogue
   * commit, whose bytes all went into the last segment from `offset` on. Call under the catalogue lock, before any
   * reader was told of a byte past `offset` (readers stop at the catalogue's committed cursor).
   */
  truncateTo(offset: number): void {
    this.segments.refresh();
    const last = this.segments.segments().at(-1)!;
    const fd = openSync(last.path, 'r+');
    try {
      // Never extend: a write that failed before its first byte left nothing to cut.
      if (offset < last.start || fstatSync(fd).size <= offset - last.start) return;
      ftruncateSync(fd, offset - last.start);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The journal's logical end now (reads its folder again: another process may have rotated it). */
  size(): number {
    this.open();
    this.segments.refresh();
    return this.segments.end();
  }

  /** The logical offset of the oldest line still kept (0 until a segment is deleted). */
  start(): number {
    this.open();
    return this.segments.segments()[0]!.start;
  }

  /**
   * Valid lines from logical offset `offset`, at most `maxLines`, from the one segment holding it. A trailing line
   * without its newline is not read yet in the last segment (its writer may be mid-write); in an earlier segment it
   * was torn by a crash and is skipped. `next` is where the following call should start (a segment's end is the
   * next one's start). Throws `JournalSegmentDeletedError` when `offset` is in a deleted segment.
   */
  read(offset: number, maxLines = 10_000): { lines: JournalLine[]; next: number } {
    this.open();
    const found = this.segments.openAt(offset);
    if (!found) throw new JournalSegmentDeletedError(offset, this.start());
    const { segment, bound, fd } = found;
    const lines: JournalLine[] = [];
    let chunk = 1 << 20;
    let pos = offset;
    for (;;) {
      const want = bound === undefined ? chunk : Math.min(chunk, bound - pos);
      const raw = Buffer.allocUnsafe(Math.max(want, 0));
      const n = want > 0 ? readSync(fd, raw, 0, want, pos - segment.start) : 0;
      const buf = raw.subarray(0, n);
      // An earlier segment is complete: what follows its last newline was torn by a crash and never completes.
      const sealedEnd = bound !== undefined && (n < want || pos + n >= bound);
      const last = buf.lastIndexOf(NEWLINE);
      if (last < 0) {
        if (sealedEnd) return { lines, next: bound };
        if (n < want) return { lines, next: pos };
        chunk *= 2;
        continue;
      }
      let start = 0;
      while (start <= last) {
        const nl = buf.indexOf(NEWLINE, start);
        const line = parseLine(buf.subarray(start, nl));
        if (line) lines.push({ ...line, offset: pos + start, end: pos + nl + 1 });
        start = nl + 1;
        if (lines.length >= maxLines) return { lines, next: pos + start };
      }
      pos += start;
      if (sealedEnd) return { lines, next: bound };
      if (n < want) return { lines, next: pos };
    }
  }

  /**
   * Delete the segments that end at or before `offset` (never the last one). Call under the catalogue lock, and only
   * for an offset nothing will read below again. Returns how many segments were deleted.
   */
  deleteBefore(offset: number): number {
    this.open();
    this.segments.refresh();
    return this.segments.deleteBefore(offset);
  }

  /** The segments' logical starts, oldest first (what `deleteBefore` may delete: all but the last). */
  segmentStarts(): number[] {
    this.open();
    this.segments.refresh();
    return this.segments.segments().map((s) => s.start);
  }

  /** Highest durable "materialized up to" offset (0 if none). */
  materialized(): number {
    return this.markers().reduce((a, b) => Math.max(a, b), 0);
  }

  /**
   * Durably record that every line before `offset` has its event file durable. One file per marker
   * (`materialized.<offset>`), so concurrent processes can only move it forward: the highest name wins.
   */
  publishMaterialized(offset: number): void {
    const current = this.markers();
    if (current.some((m) => m >= offset)) return;
    createOnce(`${this.layout.materializedMarker}.${offset}`, '', true);
    fsyncDirSync(this.layout.journalDir);
    for (const m of current) unlinkIfExists(`${this.layout.materializedMarker}.${m}`);
  }

  close(): void {
    this.segments.close();
    this.opened = false;
  }

  private markers(): number[] {
    return readdirSync(dirname(this.layout.materializedMarker))
      .filter((n) => n.startsWith(this.markerPrefix))
      .map((n) => Number(n.slice(this.markerPrefix.length)))
      .filter((n) => Number.isSafeInteger(n));
  }
}
