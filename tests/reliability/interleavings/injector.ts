// Points inside this thread's log operations where the other log (a worker thread, called synchronously) may act:
// every journal read, before each object a checkpoint settles, before it publishes its marker, before retention reads
// the catalogue's durable cursor, when retention asks the readers how far they are, before each log call of a
// compaction or an indexer and before each index commit of theirs. Never while this thread holds the catalogue lock:
// the other log would wait for it, and this thread for the other log.

import { DirCache } from '../../../adapters/local/dir-cache.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { IngestJournal } from '../../../adapters/local/ingest-journal.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';

type Method = (...args: never[]) => unknown;

/** Counts the points reached during one operation and runs what was armed at the n-th. */
export class Injector {
  private depth = 0;
  private calls = 0;
  private armed: { nth: number; run: () => void } | undefined;
  private readonly restores: (() => void)[] = [];
  /** Whether the armed action ran during the last operation. */
  fired = false;

  /** Wrap the points into IngestJournal and SqliteLogCatalogue (this thread's modules only; the worker has its own). */
  install(): void {
    const self = this;
    this.wrap(SqliteLogCatalogue.prototype, 'locked', (original) => function (this: unknown, ...args: never[]) {
      self.depth++;
      try {
        return original.apply(this, args);
      } finally {
        self.depth--;
      }
    });
    const before = (original: Method) => function (this: unknown, ...args: never[]) {
      self.point();
      return original.apply(this, args);
    };
    this.wrap(IngestJournal.prototype, 'read', before);
    this.wrap(IngestJournal.prototype, 'publishMaterialized', before);
    this.wrap(SqliteLogCatalogue.prototype, 'durableCursor', before);
    this.wrap(DirCache.prototype, 'createdHere', before);
    // Between a compaction's steps and an indexer's: the log's reads and writes it calls, and the index's commits.
    for (const name of ['readObject', 'writeSegment', 'remove', 'journalSince'] as const) this.wrap(FsEventLog.prototype, name, before);
    for (const name of ['relocate', 'putWithCursor'] as const) this.wrap(SqliteEventIndex.prototype, name, before);
  }

  /** Put the real methods back. */
  uninstall(): void {
    for (const restore of this.restores.splice(0).reverse()) restore();
  }

  /** Start an operation: `run` goes at its `nth` point (none when undefined). */
  arm(nth: number | undefined, run: () => void): void {
    this.calls = 0;
    this.fired = false;
    this.armed = nth === undefined ? undefined : { nth, run };
  }

  /** A point reached (also called by the test's own seam: the log's journalReaders). */
  point(): void {
    if (this.depth > 0 || !this.armed || ++this.calls !== this.armed.nth) return;
    const { run } = this.armed;
    this.armed = undefined;
    this.fired = true;
    run();
  }

  private wrap<T extends object, K extends keyof T & string>(proto: T, name: K, make: (original: Method) => Method): void {
    const original = proto[name] as unknown as Method;
    (proto as Record<string, unknown>)[name] = make(original);
    this.restores.push(() => ((proto as Record<string, unknown>)[name] = original));
  }
}
