// The ingest journal's segment files: which exist, where each starts (its logical offset), their descriptors,
// rotation to a new segment and deletion of old ones. The line format and reading lines are IngestJournal's.

import { closeSync, fstatSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirSync } from './durable-fs.ts';
import { FILE_MODE, ensureDirSync, type DataDirLayout } from './layout.ts';

/** Default size past which an append first moves the journal to a new segment. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

const SEGMENT_NAME = /^ingest-(\d{1,16})\.log$/;

/**
 * File name of the segment starting at logical offset `start`. The segment at 0 keeps the name the journal had
 * before it was segmented (`ingest.log`), so an existing data dir is already a one-segment journal: no migration.
 */
export function segmentName(start: number): string {
  return start === 0 ? 'ingest.log' : `ingest-${String(start).padStart(16, '0')}.log`;
}

/** The logical start of a segment file name, or undefined for any other file of the journal folder. */
export function segmentStart(name: string): number | undefined {
  if (name === 'ingest.log') return 0;
  const m = SEGMENT_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** One segment: lines at logical offsets `start` up to the next segment's start (the last one: its file's end). */
export interface Segment {
  readonly start: number;
  readonly path: string;
}

/**
 * The journal's segments, oldest first. Offsets are logical: a segment's bytes are at `start + position`, and a new
 * segment starts where the last one ended, so offsets keep growing across segments and keep their meaning for every
 * reader's checkpoint, the catalogue's cursor, the materialized marker and batch object keys.
 *
 * Why rotation and deletion need the catalogue lock: appends take it and write the last segment, so under it no
 * other process is writing, and the set of segments is the one every process sees when it next takes the lock.
 */
export class JournalSegments {
  private list: Segment[] = [];
  private readonly fds = new Map<string, number>();
  private appendFd: number | undefined;
  private appendPath: string | undefined;

  constructor(private readonly layout: DataDirLayout) {}

  /** Read the folder again (another process may have rotated or deleted); create the first segment if none exists. */
  refresh(): void {
    // Runs on every append (under the lock): the folder is created only when listing finds it missing, not with a
    // mkdir per call.
    try {
      this.list = this.scan();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      ensureDirSync(this.layout.journalDir);
      this.list = [];
    }
    if (this.list.length === 0) {
      this.createSegment(0);
      this.list = this.scan();
    }
    const present = new Set(this.list.map((s) => s.path));
    for (const [path, fd] of this.fds) {
      if (present.has(path)) continue;
      closeSync(fd); // a deleted segment's space is freed only once no descriptor holds it
      this.fds.delete(path);
    }
  }

  /** The segments as last refreshed, oldest first. */
  segments(): readonly Segment[] {
    if (this.list.length === 0) this.refresh();
    return this.list;
  }

  /** The segment holding `offset` and where it ends (the next segment's start; undefined for the last segment). */
  locate(offset: number): { segment: Segment; bound: number | undefined } | undefined {
    const all = this.segments();
    for (let i = all.length - 1; i >= 0; i--) {
      if (all[i]!.start <= offset) return { segment: all[i]!, bound: all[i + 1]?.start };
    }
    return undefined;
  }

  /**
   * The segment holding `offset`, its bound and a read descriptor; undefined when `offset` is before the oldest
   * segment (deleted). Reads the folder again when the segment is the last one known (another process may have
   * rotated since) or its file is gone (another process deleted it).
   */
  openAt(offset: number): { segment: Segment; bound: number | undefined; fd: number } | undefined {
    for (let attempt = 0; ; attempt++) {
      const found = this.locate(offset);
      if (attempt === 0 && found?.bound === undefined) {
        this.refresh();
        continue;
      }
      if (!found) return undefined;
      try {
        return { ...found, fd: this.readFd(found.segment) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 1) throw error;
        this.refresh();
      }
    }
  }

  /** The logical end of the journal: the last segment's start plus its size. */
  end(): number {
    const last = this.segments().at(-1)!;
    return last.start + fstatSync(this.readFd(last)).size;
  }

  /** A read descriptor of `segment` (kept open until the segment is deleted or the journal closed). */
  readFd(segment: Segment): number {
    let fd = this.fds.get(segment.path);
    if (fd === undefined) this.fds.set(segment.path, (fd = openSync(segment.path, 'r')));
    return fd;
  }

  /**
   * An O_APPEND descriptor of the last segment; first, when it holds `rotateAt` bytes or more, a new segment that
   * starts at `end` (the journal's end) becomes the last. Call under the catalogue lock, after `refresh`.
   */
  appendFdFor(end: number, rotateAt: number): number {
    const last = this.segments().at(-1)!;
    if (end - last.start >= rotateAt && end > last.start) {
      // The new name is made durable before any line goes into it: a line fsynced into a file whose name a power cut
      // can take would be lost. A crash right after leaves an empty last segment starting at `end`, which is exactly
      // the journal's end, so the next appender just writes into it.
      this.createSegment(end);
      this.refresh();
    }
    const active = this.segments().at(-1)!;
    if (this.appendPath !== active.path) {
      if (this.appendFd !== undefined) closeSync(this.appendFd);
      this.appendFd = openSync(active.path, 'a', FILE_MODE);
      this.appendPath = active.path;
    }
    return this.appendFd!;
  }

  /**
   * Delete, oldest first, every segment that ends at or before `before`; the last segment is never deleted. Oldest
   * first so that a crash part way leaves the journal a contiguous run of segments. Returns how many were deleted.
   */
  deleteBefore(before: number): number {
    const all = this.segments();
    let deleted = 0;
    for (let i = 0; i + 1 < all.length && all[i + 1]!.start <= before; i++) {
      const fd = this.fds.get(all[i]!.path);
      if (fd !== undefined) closeSync(fd);
      this.fds.delete(all[i]!.path);
      if (this.appendPath === all[i]!.path) this.closeAppend();
      try {
        unlinkSync(all[i]!.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      deleted++;
    }
    if (deleted > 0) {
      fsyncDirSync(this.layout.journalDir);
      this.refresh();
    }
    return deleted;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.closeAppend();
    this.list = [];
  }

  private closeAppend(): void {
    if (this.appendFd !== undefined) closeSync(this.appendFd);
    this.appendFd = this.appendPath = undefined;
  }

  private scan(): Segment[] {
    const found: Segment[] = [];
    for (const name of readdirSync(this.layout.journalDir)) {
      const start = segmentStart(name);
      if (start !== undefined) found.push({ start, path: join(this.layout.journalDir, name) });
    }
    return found.sort((a, b) => a.start - b.start);
  }

  private createSegment(start: number): void {
    closeSync(openSync(join(this.layout.journalDir, segmentName(start)), 'a', FILE_MODE));
    fsyncDirSync(this.layout.journalDir);
    fsyncDirSync(this.layout.root);
  }
}

