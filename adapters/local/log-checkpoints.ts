// FsEventLog's recovery and checkpoints: recovery once per open, then checkpoints one at a time, in the background
// once enough events were journaled, told which appends this process made itself so they need not be read back.

import { existsSync } from 'node:fs';
import type { DirCache } from './dir-cache.ts';
import type { IngestJournal } from './ingest-journal.ts';
import { releaseSegments, type JournalReaders } from './journal-retention.ts';
import type { DataDirLayout } from './layout.ts';
import { checkpoint, type CheckpointReport, type KnownAppend } from './materializer.ts';
import type { SqliteLogCatalogue } from './sqlite-log-catalogue.ts';
import { asDataDirFailure, asStorageFull } from './storage-full.ts';

/** What a recovery or checkpoint failing on a full disk keeps: the journal, fsynced before any append answered. */
export const RECOVERY_KEPT = 'every stored event is kept (the journal holds it); the checkpoint that writes their files runs again at the next open';

/**
 * What a checkpoint failing keeps: the journal, fsynced before any append answered. The durable marker moves only
 * after every file and folder is synced, so the next checkpoint writes and syncs from the same place again.
 */
export const CHECKPOINT_KEPT = 'every stored event is kept (the journal holds it) and reads answer as before; the durable marker did not move, ' +
  'so the next checkpoint (or the next open) writes and syncs their files again';

/** What the checkpoints of one log work on. */
export interface LogCheckpointsContext {
  readonly layout: DataDirLayout;
  readonly journal: IngestJournal;
  readonly dirs: DirCache;
  /** The log's catalogue, opened on first use. */
  readonly catalogue: () => SqliteLogCatalogue;
  /** Readers of `journalSince`: each checkpoint but recovery's deletes the segments all of them have passed. */
  readonly journalReaders?: JournalReaders | undefined;
}

/** The recovery and serialized checkpoints of one FsEventLog. */
export class LogCheckpoints {
  private recovered: Promise<CheckpointReport> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private sinceCheckpoint = 0;
  private backgroundError: unknown;
  /** Appends this process journaled and materialized since its last checkpoint: checkpoints need not read them back. */
  private known: KnownAppend[] = [];

  /** `every`: journaled events after which a background checkpoint starts (0: never in the background). */
  constructor(private readonly context: LogCheckpointsContext, private readonly every: number) {}

  /** Re-materialize journaled events whose objects are missing or torn and make them durable. Runs once; idempotent. */
  recover(): Promise<CheckpointReport> {
    const { layout, journal, dirs, catalogue } = this.context;
    this.recovered ??= (async () => {
      journal.open();
      const end = catalogue().locked(() => {
        catalogue().catchUp(journal);
        return journal.size();
      });
      return this.serialized(() => checkpoint(layout, journal, dirs, true, end));
    })().catch((error: unknown) => {
      this.recovered = undefined; // let the next call retry
      throw asStorageFull(error, 'recovering the event log (re-creating the files of journaled events)', layout.root, RECOVERY_KEPT);
    });
    return this.recovered;
  }

  /** Whether recovery has started (and not failed): only then is there anything to checkpoint on close. */
  started(): boolean {
    return this.recovered !== undefined;
  }

  /** A checkpoint after those already queued. */
  run(): Promise<CheckpointReport> {
    return this.serialized(() => this.now());
  }

  /**
   * Recovery when not done yet, then a checkpoint (`run`). A file or folder it cannot read or write, a full or failing
   * disk, or another errno is thrown as a typed error (`asDataDirFailure`) saying `doing`, the path, `kept` and the
   * fix, instead of the raw errno.
   */
  async checkpointNow(doing = 'checkpointing the event log (writing and syncing the files of journaled events)', kept = CHECKPOINT_KEPT): Promise<CheckpointReport> {
    const { root } = this.context.layout;
    try {
      await this.recover();
      return await this.run();
    } catch (error) {
      throw asDataDirFailure(error, { doing, path: root, dataDir: root, kept, access: 'use' });
    }
  }

  /** Note an append this process journaled and whose objects it created. */
  remember(append: KnownAppend): void {
    this.known.push(append);
  }

  /** Count `events` journaled; past `every` since the last background checkpoint, start one. */
  journaled(events: number): void {
    this.sinceCheckpoint += events;
    if (this.every <= 0 || this.sinceCheckpoint < this.every) return;
    this.sinceCheckpoint = 0;
    this.serialized(() => this.now()).catch((error: unknown) => {
      this.backgroundError = error;
    });
  }

  /** What a background checkpoint threw (close() rethrows it), if one did. */
  failure(): unknown {
    return this.backgroundError;
  }

  /**
   * The journal's end as of the last committed append: the catalogue's cursor, which appenders move at their commit.
   * Why not the journal's size: lines past the cursor may be an append whose COMMIT failed on a full disk and that is
   * being undone (truncated away); a crashed writer's lines past it are recorded by the next appender or recovery.
   * The journal's size is read too, as it always was, because that reads its folder again: segments another process
   * deleted are let go of, and reading them fails as it should (JournalSegmentDeletedError).
   */
  committedEnd(): number {
    const { journal, catalogue } = this.context;
    const cursor = catalogue().cursor();
    return Math.min(cursor, journal.size());
  }

  private async now(): Promise<CheckpointReport> {
    const { layout, journal, dirs, catalogue, journalReaders } = this.context;
    const end = this.committedEnd();
    // Objects only leave by remove() (which checkpoints first) or by archiving; one that vanished anyway is re-read.
    const known = this.known.filter((k) => k.end <= end && k.paths.every((p) => existsSync(p)));
    const report = await checkpoint(layout, journal, dirs, false, end, known);
    this.known = this.known.filter((k) => k.end > report.materialized);
    if (journalReaders) await releaseSegments(journal, catalogue(), journalReaders);
    return report;
  }

  private serialized<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
