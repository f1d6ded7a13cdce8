// FsEventLog: the event log as a folder of write-once files, with the ingest journal as its write-ahead log.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EventConflictError } from '../../domain/errors.ts';
import { eventId, eventKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { AppendResult, EventLocation, EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { listObjects, parseEventLine, readEvent, readObjectEvents, readWhole } from './fs-objects.ts';
import { IngestJournal } from './ingest-journal.ts';
import { ARCHIVE_CLASSES, archivePath, type ArchiveClass, assertKey, dataDirLayout, ensureDirSync, hotPath, restoredPath, type DataDirLayout } from './layout.ts';
import { checkpoint, createEventObject, DirCache, settle, type CheckpointReport } from './materializer.ts';
import { writeSegmentOnce } from './segment-writer.ts';

export interface FsEventLogOptions {
  /** Journaled events after which a background checkpoint starts (bounds the work of recovery). 0: only on open/close. */
  readonly checkpointEvery?: number;
}

/** One stored event as the journal recorded it, for the local indexer. */
export interface JournalEntry {
  readonly key: string;
  readonly id: string;
  /** Bytes of the one-event object. */
  readonly size: number;
  readonly event: DomainEvent;
  /** Byte offset of the journal line. */
  readonly offset: number;
  readonly storageClass: StorageClass;
}

/**
 * The local event log under `<dataDir>/events/`, keyed exactly as on S3.
 *
 * Durability argument (group commit): `append` checks every identity first, then appends the batch's new events
 * (key + canonical bytes, checksummed) to `journal/ingest.log` with ONE fdatasync, and only then creates the event
 * files, without fsync. Once the journal fsync returns, every event of the batch is on disk in the journal. A crash
 * may lose or tear event files created after it, but every such file is journaled after the durable
 * `materialized` marker; `recover()` (run before any other operation) re-creates missing files, replaces torn ones
 * from the journal, fsyncs files and their folders, and only then advances the marker. So an acknowledged event is
 * never lost, and each costs one shared fsync instead of two of its own. Files appear by link() of a complete temp
 * file, so readers never see part of one, and link() is an exclusive create across processes.
 *
 * @example
 * const log = await FsEventLog.open('./.eventlake');
 * const [r] = await log.append([event]); // { id, key, status: 'stored', size }
 * const again = await log.read({ key: r.key });
 */
export class FsEventLog implements EventLog {
  readonly layout: DataDirLayout;
  private readonly journal: IngestJournal;
  private readonly dirs = new DirCache();
  private readonly checkpointEvery: number;
  private recovered: Promise<CheckpointReport> | undefined;
  private checkpoints: Promise<unknown> = Promise.resolve();
  private sinceCheckpoint = 0;
  private backgroundError: unknown;

  constructor(dataDir: string, options: FsEventLogOptions = {}) {
    this.layout = dataDirLayout(dataDir);
    this.checkpointEvery = options.checkpointEvery ?? 20_000;
    ensureDirSync(this.layout.events);
    this.journal = new IngestJournal(this.layout);
  }

  /** Open a data dir's log and recover it. */
  static async open(dataDir: string, options?: FsEventLogOptions): Promise<FsEventLog> {
    const log = new FsEventLog(dataDir, options);
    await log.recover();
    return log;
  }

  /** Re-materialize journaled events whose files are missing or torn and make them durable. Runs once; idempotent. */
  recover(): Promise<CheckpointReport> {
    this.recovered ??= (async () => {
      this.journal.open();
      return this.serialized(() => checkpoint(this.layout, this.journal, this.dirs, true));
    })().catch((error: unknown) => {
      this.recovered = undefined; // let the next call retry
      throw error;
    });
    return this.recovered;
  }

  /** Make every journaled event file durable and advance the marker (also runs in the background and on close). */
  async checkpoint(): Promise<CheckpointReport> {
    await this.recover();
    return this.serialized(() => checkpoint(this.layout, this.journal, this.dirs));
  }

  async append(events: readonly DomainEvent[]): Promise<AppendResult[]> {
    await this.recover();
    const results: AppendResult[] = [];
    const fresh = new Map<string, { key: string; content: string; bytes: string; id: string; path: string }>();
    const archives = ARCHIVE_CLASSES.filter((c) => existsSync(join(this.layout.archive, c)));
    for (const event of events) {
      const id = eventId(event);
      const key = eventKey(event);
      const path = hotPath(this.layout, key);
      const content = serializeEvent(event);
      const bytes = `${content}\n`;
      const earlier = fresh.get(key)?.bytes ?? this.existing(key, path, archives);
      if (earlier !== undefined && earlier !== bytes) throw new EventConflictError(id, key);
      if (earlier === undefined) fresh.set(key, { key, content, bytes, id, path });
      results.push({ id, key, size: Buffer.byteLength(bytes), status: earlier === undefined ? 'stored' : 'duplicate' });
    }
    if (fresh.size === 0) return results;
    this.journal.append([...fresh.values()]);
    let lost: EventConflictError | undefined;
    for (const { key, bytes, id, path } of fresh.values()) {
      if (createEventObject(this.dirs, path, bytes) === 'created') continue;
      // A concurrent writer created the key between our check and our link: same bytes is a duplicate.
      if (this.existing(key, path, []) !== bytes) lost ??= new EventConflictError(id, key);
      const i = results.findIndex((r) => r.key === key);
      if (i >= 0) results[i] = { ...results[i]!, status: 'duplicate' };
    }
    this.scheduleCheckpoint(fresh.size);
    if (lost) throw lost;
    return results;
  }

  async read(location: EventLocation): Promise<DomainEvent> {
    await this.recover();
    return readEvent(this.layout, location);
  }

  async *readObject(key: string): AsyncIterable<LocatedEvent> {
    await this.recover();
    yield* readObjectEvents(this.layout, key);
  }

  async *list(prefix: string): AsyncIterable<LogObject> {
    await this.recover();
    yield* listObjects(this.layout, prefix);
  }

  async writeSegment(key: string, lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }> {
    await this.recover();
    return writeSegmentOnce(this.layout, hotPath(this.layout, key), key, lines);
  }

  /** Remove objects in every storage class. Checkpoints first, so recovery never brings a removed event file back. */
  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) assertKey(key);
    await this.checkpoint();
    const dirs = new Set<string>();
    for (const key of keys) {
      const paths = [hotPath(this.layout, key), restoredPath(this.layout, key), ...ARCHIVE_CLASSES.map((c) => archivePath(this.layout, c, key))];
      this.dirs.settled(paths[0]!);
      for (const p of paths) if (unlinkIfExists(p)) dirs.add(dirname(p));
    }
    for (const d of dirs) fsyncDirSync(d);
  }

  /**
   * Stored events journaled from byte `offset` on (at most `limit`), with the offset to continue from. Lines whose
   * file a concurrent writer has not created yet are materialized here; a line that lost a race to other content,
   * or whose object was removed by compaction, is skipped.
   */
  async journalSince(offset: number, limit = 10_000): Promise<{ entries: JournalEntry[]; next: number }> {
    await this.recover();
    const { lines, next } = this.journal.read(offset, limit);
    const entries: JournalEntry[] = [];
    for (const line of lines) {
      const s = settle(this.layout, this.dirs, line, () => this.journal.materialized());
      if (s.state === 'superseded' || s.state === 'removed') continue;
      const event = parseEventLine(line.content) as DomainEvent;
      entries.push({ key: line.key, id: eventId(event), size: Buffer.byteLength(line.content) + 1, event, offset: line.offset, storageClass: s.storageClass });
    }
    return { entries, next };
  }

  /** Bytes in the journal now (the offset a fully caught-up reader has reached). */
  async journalEnd(): Promise<number> {
    await this.recover();
    return this.journal.size();
  }

  /** Finish background work, checkpoint, and release the journal. */
  async close(): Promise<void> {
    if (this.recovered) {
      await this.checkpoint();
      this.journal.close();
    }
    if (this.backgroundError) throw this.backgroundError;
  }

  /** Bytes already stored under `key` (hot, or archived in one of `archives`), if any. */
  private existing(key: string, hot: string, archives: readonly ArchiveClass[]): string | undefined {
    if (existsSync(hot)) return readWhole(hot, key).toString();
    for (const c of archives) {
      const p = archivePath(this.layout, c, key);
      if (existsSync(p)) return readWhole(p, key).toString();
    }
    return undefined;
  }

  private serialized<T>(job: () => Promise<T>): Promise<T> {
    const run = this.checkpoints.then(job, job);
    this.checkpoints = run.catch(() => undefined);
    return run;
  }

  private scheduleCheckpoint(journaled: number): void {
    this.sinceCheckpoint += journaled;
    if (this.checkpointEvery <= 0 || this.sinceCheckpoint < this.checkpointEvery) return;
    this.sinceCheckpoint = 0;
    this.serialized(() => checkpoint(this.layout, this.journal, this.dirs)).catch((error: unknown) => {
      this.backgroundError = error;
    });
  }
}
