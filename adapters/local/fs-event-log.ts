// FsEventLog: the event log as a folder of write-once batch objects, with the ingest journal as its write-ahead log.

import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventConflictError, StorageError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { AppendResult, EventLocation, EventLog, LocatedEvent, LogObject } from '../../domain/ports/event-log.ts';
import { createReserved, fsyncDirSync, readIfExists, unlinkIfExists } from './durable-fs.ts';
import { listObjects, readEvent, readObjectBytes, readObjectEvents } from './fs-objects.ts';
import { IngestJournal } from './ingest-journal.ts';
import { ARCHIVE_CLASSES, archivePath, assertKey, dataDirLayout, ensureDirSync, hotPath, restoredPath, type DataDirLayout } from './layout.ts';
import { checkpoint, createEventObject, DirCache, type CheckpointReport, type KnownAppend } from './materializer.ts';
import { journalEntries, type JournalEntry } from './journal-entries.ts';
import { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';
import { gatherBatch, locationOf, objectBytes, planObjects, storedLine, storedResults, type BatchEvent, type PlannedObject } from './batch-plan.ts';
import { writeSegmentOnce } from './segment-writer.ts';

export interface FsEventLogOptions {
  /** Journaled events after which a background checkpoint starts (bounds the work of recovery). 0: only on open/close. */
  readonly checkpointEvery?: number;
  /** Test seam: runs after an append's journal fsync, before its catalogue commit and objects (crash tests kill here). */
  readonly afterJournal?: () => void;
}

/** createReserved, shaped as createOnce for createEventObject. */
const reserveAndCreate = (path: string, bytes: string | Buffer): 'created' => {
  createReserved(path, bytes);
  return 'created';
};

/** What one append journaled: its byte range and objects. */
interface Journaled {
  readonly start: number;
  readonly end: number;
  readonly objects: PlannedObject[];
  /** Events stored (the objects' lines). */
  readonly events: number;
}

/**
 * The local event log under `<dataDir>/events/`, keyed by hour partitions as on S3. One append stores its new events of
 * each hour in ONE write-once NDJSON batch object (`…/hour=HH/batch-<n>.ndjson`), so a batch of 1,000 events costs one
 * file, not 1,000; compaction later merges an hour's batch objects into its segment.
 *
 * Identity (write-once per event): every appender of a data dir takes the catalogue's lock (SqliteLogCatalogue), looks
 * its batch up there (same identity and bytes → `duplicate`; other bytes → `EventConflictError`, nothing written), then
 * journals the new events and records them before releasing the lock. So two processes never both store an identity.
 *
 * Durability (group commit): the batch's lines go to `journal/ingest.log` with ONE fdatasync, and only then are the
 * batch objects created, without fsync. Once the journal fsync returns, every event of the batch is on disk. A crash
 * may lose or tear objects created after it, but each is journaled after the durable `materialized` marker;
 * `recover()` (run before any other operation) re-creates missing objects, replaces torn ones from the journal, fsyncs
 * files and folders, and only then advances the marker. So an acknowledged event is never lost, and a batch costs one
 * fsync of the journal and, at the next checkpoint, one fsync per object. Objects appear by rename() of a complete
 * temp file, so readers never see part of one, before the lock is released (no other process can be creating them
 * then: see `createObject`). The log still reads one-event objects (`<id>.event`, as S3EventLog writes
 * them, and as data dirs made before batch objects hold them).
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
  private readonly checkpointEvery: number;
  private readonly afterJournal: (() => void) | undefined;
  private catalogueDb: SqliteLogCatalogue | undefined;
  private recovered: Promise<CheckpointReport> | undefined;
  private checkpoints: Promise<unknown> = Promise.resolve();
  private sinceCheckpoint = 0;
  private backgroundError: unknown;
  /** Appends this process journaled and materialized since its last checkpoint: checkpoints need not read them back. */
  private known: KnownAppend[] = [];

  constructor(dataDir: string, options: FsEventLogOptions = {}) {
    this.layout = dataDirLayout(dataDir);
    this.checkpointEvery = options.checkpointEvery ?? 20_000;
    this.afterJournal = options.afterJournal;
    ensureDirSync(this.layout.events);
    this.journal = new IngestJournal(this.layout);
  }

  /** Open a data dir's log and recover it. */
  static async open(dataDir: string, options?: FsEventLogOptions): Promise<FsEventLog> {
    const log = new FsEventLog(dataDir, options);
    await log.recover();
    return log;
  }

  /** Re-materialize journaled events whose objects are missing or torn and make them durable. Runs once; idempotent. */
  recover(): Promise<CheckpointReport> {
    this.recovered ??= (async () => {
      this.journal.open();
      const end = this.catalogue().locked(() => {
        this.catalogue().catchUp(this.journal);
        return this.journal.size();
      });
      return this.serialized(() => checkpoint(this.layout, this.journal, this.dirs, true, end));
    })().catch((error: unknown) => {
      this.recovered = undefined; // let the next call retry
      throw error;
    });
    return this.recovered;
  }

  /** Make every journaled event's object durable and advance the marker (also runs in the background and on close). */
  async checkpoint(): Promise<CheckpointReport> {
    await this.recover();
    return this.serialized(() => this.checkpointNow());
  }

  async append(events: readonly DomainEvent[]): Promise<AppendResult[]> {
    await this.recover();
    const results = new Array<AppendResult>(events.length);
    const batch = gatherBatch(events);
    const journaled = this.catalogue().locked(() => this.journalNew(batch, results));
    const objects = journaled?.objects ?? [];
    if (journaled) {
      const paths = objects.map((o) => hotPath(this.layout, o.key));
      this.known.push({ start: journaled.start, end: journaled.end, paths, lines: journaled.events });
    }
    storedResults(objects, results);
    this.scheduleCheckpoint(journaled?.events ?? 0);
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

  /** Remove objects in every storage class. Checkpoints first, so recovery never brings a removed object back. */
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
   * Stored events journaled from byte `offset` on (at most `limit`), with the offset to continue from. An object a
   * concurrent (or crashed) writer has not created yet is materialized here first; a line whose object was removed by
   * compaction, or that lost a race to other content (one-event objects of older data dirs), is skipped.
   */
  async journalSince(offset: number, limit = 10_000): Promise<{ entries: JournalEntry[]; next: number }> {
    await this.recover();
    return journalEntries({ layout: this.layout, dirs: this.dirs, journal: this.journal, materialize: () => this.checkpoint() }, offset, this.committedEnd(), limit);
  }

  /** Bytes in the journal now (the offset a fully caught-up reader has reached). */
  async journalEnd(): Promise<number> {
    await this.recover();
    return this.committedEnd();
  }

  /** Finish background work, checkpoint, and release the journal and catalogue. */
  async close(): Promise<void> {
    if (this.recovered) {
      await this.checkpoint();
      this.journal.close();
    }
    this.catalogueDb?.close();
    this.catalogueDb = undefined;
    if (this.backgroundError) throw this.backgroundError;
  }

  private catalogue(): SqliteLogCatalogue {
    if (!this.catalogueDb) {
      ensureDirSync(this.layout.journalDir);
      this.catalogueDb = new SqliteLogCatalogue(this.layout.logCatalogue);
    }
    return this.catalogueDb;
  }

  /** The journal's end as of the last committed append: appenders write it under the lock, so no batch is half in. */
  private committedEnd(): number {
    return this.catalogue().locked(() => this.journal.size());
  }

  /**
   * Under the catalogue lock: record leftovers of crashed writers, sort the batch into duplicates and conflicts
   * (throwing before anything is written) and new events, journal the new ones and record them. Returns the objects
   * to create.
   */
  private journalNew(batch: ReadonlyMap<string, BatchEvent>, results: AppendResult[]): Journaled | undefined {
    const catalogue = this.catalogue();
    const sequence = catalogue.catchUp(this.journal); // the journal's size: nobody else writes it while we hold the lock
    const known = catalogue.claim([...batch.values()].map((f) => f.key), sequence);
    const fresh: BatchEvent[] = [];
    for (const f of batch.values()) {
      const at = known.get(f.key);
      if (at === undefined) {
        fresh.push(f);
        continue;
      }
      const line = storedLine(this.journal, at, f.id);
      if (line?.content !== f.content) throw new EventConflictError(f.id, locationOf(line)?.key ?? `${f.hour}${f.id}`);
      const location = locationOf(line)!;
      for (const i of f.at) results[i] = { id: f.id, key: location.key, location, status: 'duplicate', size: f.length + 1 };
    }
    if (fresh.length === 0) return undefined;
    const { objects, records } = planObjects(fresh, sequence);
    const end = this.journal.append(records, sequence);
    this.afterJournal?.();
    for (const object of objects) this.createObject(object);
    catalogue.setCursor(end);
    return { start: sequence, end, objects, events: fresh.length };
  }

  /**
   * Create a journaled batch object (no fsync: the journal holds its bytes until the next checkpoint), still under
   * the catalogue lock. Why under it: checkpoints create journaled objects too, but only up to the journal's end as
   * of the last commit, so until this append commits no other process can be creating its objects (their keys hold
   * its journal offset, which no earlier append had), and each is published by rename() of a complete temp file,
   * which is cheaper than link() + unlink(). Anything found under the name anyway was not written by the log: with
   * other bytes than the journal's it is an error, as it always was.
   */
  private createObject(object: PlannedObject): void {
    const bytes = objectBytes(object);
    const path = hotPath(this.layout, object.key);
    if (!existsSync(path)) {
      createEventObject(this.dirs, path, bytes, reserveAndCreate);
      return;
    }
    if (!readIfExists(path)?.equals(bytes)) throw new StorageError(`batch object ${object.key} exists with other bytes than its journal lines`);
  }

  private async checkpointNow(): Promise<CheckpointReport> {
    const end = this.committedEnd();
    // Objects only leave by remove() (which checkpoints first) or by archiving; one that vanished anyway is re-read.
    const known = this.known.filter((k) => k.end <= end && k.paths.every((p) => existsSync(p)));
    const report = await checkpoint(this.layout, this.journal, this.dirs, false, end, known);
    this.known = this.known.filter((k) => k.end > report.materialized);
    return report;
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
    this.serialized(() => this.checkpointNow()).catch((error: unknown) => {
      this.backgroundError = error;
    });
  }
}
