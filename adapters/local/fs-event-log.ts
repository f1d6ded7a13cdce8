// FsEventLog: the event log as a folder of write-once batch objects, with the ingest journal as its write-ahead log.

import type { DomainEvent } from '../../domain/event.ts';
import type { AppendResult, EventLocation, EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import { listObjects, readEvent, readObjectBytes, readObjectEvents } from './fs-objects.ts';
import { removeObjects } from './fs-remove-objects.ts';
import { IngestJournal } from './ingest-journal.ts';
import type { JournalReaders } from './journal-retention.ts';
import { DEFAULT_SEGMENT_BYTES } from './journal-segments.ts';
import { assertKey, dataDirLayout, ensureDirSync, hotPath, type DataDirLayout } from './layout.ts';
import { duplicateNotCreatedYet, journalLocked } from './log-append.ts';
import { DirCache } from './dir-cache.ts';
import type { CheckpointReport } from './materializer.ts';
import { CHECKPOINT_KEPT, LogCheckpoints, RECOVERY_KEPT } from './log-checkpoints.ts';
import { openRecovered } from './log-open.ts';
import { asDataDirFailure } from './storage-full.ts';
import { journalEntries, type JournalEntry } from './journal-entries.ts';
import { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';
import { gatherBatch, storedResults } from './batch-plan.ts';
import { writeSegmentOnce } from './segment-writer.ts';

export interface FsEventLogOptions {
  /** Journaled events after which a background checkpoint starts (bounds the work of recovery). 0: only on open/close. */
  readonly checkpointEvery?: number;
  /** Test seam: runs after an append's journal fsync, before its catalogue commit and objects (crash tests kill here). */
  readonly afterJournal?: () => void;
  /** Journal bytes after which an append starts a new segment file. Default 64 MiB. */
  readonly journalSegmentBytes?: number;
  /**
   * The lowest journal offset a reader of `journalSince` still needs (the LocalIndexer's checkpoint, as
   * openLocalEventlake passes). Checkpoints delete segments below it and below the materialized marker. Without it,
   * no segment is ever deleted: the log cannot know what an unnamed reader still has to read.
   */
  readonly journalReaders?: JournalReaders;
}

const ON_CLOSE = 'checkpointing the event log on close';

/**
 * The local event log under `<dataDir>/events/`, keyed by hour partitions as on S3. One append stores its new events of
 * each hour in ONE write-once NDJSON batch object (`…/hour=HH/batch-<n>.ndjson`), so a batch of 1,000 events costs one
 * file, not 1,000; compaction later merges an hour's batch objects into its segment.
 *
 * Identity (write-once per event): every appender of a data dir takes the catalogue's lock (SqliteLogCatalogue), looks
 * its batch up there (same identity and bytes → `duplicate`; other bytes → `EventConflictError`, nothing written), then
 * journals the new events and records them before releasing the lock. So two processes never both store an identity.
 *
 * Durability (group commit): the batch's lines go to the ingest journal with ONE fdatasync, and only then are the
 * batch objects created, without fsync. Once the journal fsync returns, every event of the batch is on disk. A crash
 * may lose or tear objects created after it, but each is journaled after the durable `materialized` marker;
 * `recover()` (run before any other operation) re-creates missing objects, replaces torn ones from the journal, fsyncs
 * files and folders, and only then advances the marker. So an acknowledged event is never lost, and a batch costs one
 * fsync of the journal and, at the next checkpoint, one fsync per object. Objects appear by rename() of a complete
 * temp file, so readers never see part of one, before the lock is released (no other process can be creating them
 * then: see `createObject` in log-append.ts). The log still reads one-event objects (`<id>.event`, as S3EventLog writes
 * them, and as data dirs made before batch objects hold them).
 *
 * Full disk (all or nothing): when the journal write, its fdatasync, an object's creation or the catalogue's COMMIT
 * fails with a disk failure (ENOSPC, EIO, SQLITE_FULL, …), the append removes its objects and cuts the journal back to
 * where it began, under the lock, and throws `StorageFullError` saying nothing of the batch was stored; should undoing
 * fail too, the error says part of it may be stored and to send the same events again (those stored answer
 * `duplicate`). Readers stop at the catalogue's committed cursor, so none can act on lines being undone.
 *
 * Bounded journal: the journal is a run of segment files (`journal/ingest.log`, then `ingest-<start>.log`) with
 * offsets that keep growing across them. Appends move to a new segment past `journalSegmentBytes`; a checkpoint
 * deletes whole segments once their events are durably materialized and every reader named by `journalReaders`
 * has passed them (see `releaseSegments`). An offset in a deleted segment is a `JournalSegmentDeletedError`.
 *
 * @example
 * const log = await FsEventLog.open('./.eventlake');
 * const [r] = await log.append([event]); // { id, key, location, status: 'stored', size }
 * const again = await log.read(r.location);
 */
export class FsEventLog implements EventLog {
  readonly layout: DataDirLayout;
  private readonly journal: IngestJournal;
  private readonly dirs = new DirCache();
  private readonly afterJournal: (() => void) | undefined;
  private readonly checkpoints: LogCheckpoints;
  private catalogueDb: SqliteLogCatalogue | undefined;

  constructor(dataDir: string, options: FsEventLogOptions = {}) {
    this.layout = dataDirLayout(dataDir);
    this.afterJournal = options.afterJournal;
    ensureDirSync(this.layout.events);
    this.journal = new IngestJournal(this.layout, options.journalSegmentBytes ?? DEFAULT_SEGMENT_BYTES);
    const context = { layout: this.layout, journal: this.journal, dirs: this.dirs, catalogue: () => this.catalogue(), journalReaders: options.journalReaders };
    this.checkpoints = new LogCheckpoints(context, options.checkpointEvery ?? 20_000);
  }

  /** Open a data dir's log and recover it; a file it may not read or write is a `DataDirNotWritableError`. */
  static open(dataDir: string, options?: FsEventLogOptions): Promise<FsEventLog> {
    return openRecovered(dataDir, () => new FsEventLog(dataDir, options));
  }

  /** Re-materialize journaled events whose objects are missing or torn and make them durable. Runs once; idempotent. */
  recover(): Promise<CheckpointReport> {
    return this.checkpoints.recover();
  }

  /** Make every journaled event's object durable and advance the marker (also runs in the background and on close). */
  checkpoint(): Promise<CheckpointReport> {
    return this.checkpoints.checkpointNow();
  }

  async append(events: readonly DomainEvent[]): Promise<AppendResult[]> {
    await this.recover();
    const results = new Array<AppendResult>(events.length);
    const batch = gatherBatch(events);
    const context = { layout: this.layout, journal: this.journal, dirs: this.dirs, catalogue: this.catalogue(), afterJournal: this.afterJournal };
    const journaled = journalLocked(context, batch, results);
    const objects = journaled?.objects ?? [];
    if (journaled) {
      const paths = objects.map((o) => hotPath(this.layout, o.key));
      this.checkpoints.remember({ start: journaled.start, end: journaled.end, paths, lines: journaled.events });
    }
    storedResults(objects, results);
    // A duplicate of an event whose append failed (or whose process died) between its journal fsync and its objects
    // names an object that only a checkpoint creates: reading it would fail until then, so create it before answering.
    if (duplicateNotCreatedYet(this.layout, this.journal, results)) await this.checkpoint();
    this.checkpoints.journaled(journaled?.events ?? 0);
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

  async readObjectBytes(key: string): Promise<Uint8Array> {
    await this.recover();
    return readObjectBytes(this.layout, key);
  }

  async *list(prefix: string): AsyncIterable<LogObject> {
    await this.recover();
    yield* listObjects(this.layout, prefix);
  }

  async writeSegment(key: string, lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }> {
    await this.recover();
    return writeSegmentOnce(this.layout, hotPath(this.layout, key), key, lines);
  }

  /** Remove objects in every storage class, after a checkpoint (recovery never brings one back); typed errors say what is left. */
  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) assertKey(key);
    await this.checkpoints.checkpointNow(`removing ${keys.length} object(s) from the log: the checkpoint before it`, `nothing was removed; ${CHECKPOINT_KEPT}`);
    removeObjects(this.layout, this.dirs, keys);
  }

  /**
   * Stored events journaled from byte `offset` on (at most `limit`), with the offset to continue from. An object a
   * concurrent (or crashed) writer has not created yet is materialized here first; a line whose object was removed by
   * compaction, or that lost a race to other content (one-event objects of older data dirs), is skipped. An `offset`
   * in a deleted journal segment throws `JournalSegmentDeletedError` (nothing is skipped silently).
   */
  async journalSince(offset: number, limit = 10_000): Promise<{ entries: JournalEntry[]; next: number }> {
    await this.recover();
    return journalEntries({ layout: this.layout, dirs: this.dirs, journal: this.journal, materialize: () => this.checkpoint() }, offset, this.checkpoints.committedEnd(), limit);
  }

  /** The journal's end now (the offset a fully caught-up reader has reached). */
  async journalEnd(): Promise<number> {
    await this.recover();
    return this.checkpoints.committedEnd();
  }

  /**
   * Finish background work, checkpoint, and release the journal and catalogue (released when the checkpoint fails
   * too). A checkpoint failing on a full disk is a `StorageFullError` saying the events are stored.
   */
  async close(): Promise<void> {
    try {
      if (this.checkpoints.started()) await this.checkpoints.checkpointNow(ON_CLOSE, RECOVERY_KEPT);
      const failure = this.checkpoints.failure();
      if (failure) throw failure;
    } catch (error) {
      throw asDataDirFailure(error, { doing: ON_CLOSE, path: this.layout.root, dataDir: this.layout.root, kept: RECOVERY_KEPT, access: 'use' });
    } finally {
      this.journal.close();
      this.catalogueDb?.close();
      this.catalogueDb = undefined;
    }
  }

  private catalogue(): SqliteLogCatalogue {
    if (!this.catalogueDb) {
      ensureDirSync(this.layout.journalDir);
      this.catalogueDb = new SqliteLogCatalogue(this.layout.logCatalogue, this.layout.indexDb);
    }
    return this.catalogueDb;
  }
}
