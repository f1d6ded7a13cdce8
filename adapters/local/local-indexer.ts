// LocalIndexer: catches the index up with FsEventLog's ingest journal (the local stand-in for S3 notifications).

import { namingCommands } from '../../domain/command-spelling.ts';
import { JournalSegmentDeletedError, TransientError } from '../../domain/errors.ts';
import { eventDigest } from '../../projections/event-digest.ts';
import { accountsOf, type DomainEvent } from '../../domain/event.ts';
import type { EventIndex, NewIndexEntry } from '../../domain/ports/event-index.ts';
import type { FsEventLog } from './fs-event-log.ts';
import type { JournalEntry } from './journal-entries.ts';
import type { IndexCursor } from './sqlite-event-index.ts';

/** The index operations the indexer needs: the port, plus a put that moves a cursor in the same transaction. */
export type CursorIndex = Pick<EventIndex, 'put'> & {
  putWithCursor(entries: readonly NewIndexEntry[], cursor: IndexCursor): Promise<unknown>;
  cursor(name: string): Promise<number>;
};

export interface LocalIndexerOptions {
  readonly log: Pick<FsEventLog, 'journalSince'>;
  readonly index: CursorIndex;
  /** Journal lines per index transaction. Default 5,000. */
  readonly batch?: number;
  /** Name of the cursor row in index.db. Default `ingest-journal`. */
  readonly cursorName?: string;
  /** The accounts an event is indexed under: `registry.accountsOf` (its schema's account fields). Default SourceAccount / TargetAccount. */
  readonly accountsOf?: (event: DomainEvent) => string[];
  /**
   * Asked before each journal page after the first: true ends the catch-up there, `stopped`, with the pages before it
   * indexed and their offset stored. Why: close() waits for a catch-up in flight, and one following another process
   * that appends faster than it indexes never caught up. Asked too when a put fails with TransientError (a lock wait
   * close() ended): true ends the catch-up `stopped` instead of failing it.
   */
  readonly stop?: () => boolean;
}

/** Name of the indexer's cursor row in index.db unless `cursorName` says otherwise. */
export const INDEXER_CURSOR = 'ingest-journal';

/** What a catch-up did. */
export interface IndexerReport {
  /** Journal entries put into the index (re-puts of already indexed ids included). */
  readonly indexed: number;
  /** Journal offset reached (stored in the index). */
  readonly offset: number;
  /** Present when `stop` ended the catch-up with journaled entries left to index. */
  readonly stopped?: true;
}

/** The index entry of a journaled event, under the accounts `accounts` finds in it. */
export function entryOf(j: JournalEntry, accounts: (event: DomainEvent) => string[] = accountsOf): NewIndexEntry {
  return {
    id: j.id, type: j.event.EventType, timestamp: j.event.EventTimeStamp, accounts: accounts(j.event),
    location: j.location, size: j.size, storageClass: j.storageClass, restore: 'NONE', digest: eventDigest(j.event),
  };
}

/**
 * Reads the journal from the offset stored in index.db and puts each page of entries together with the new
 * offset, in one transaction. A crash before that commit leaves both unchanged, so the page is read again on the
 * next start (put is idempotent by id); a crash after it loses nothing. An event appended just before a crash is
 * in the journal (the log fsyncs it before acknowledging), hence indexed by the next catch-up.
 *
 * @example
 * const indexer = new LocalIndexer({ log: await FsEventLog.open(dir), index: new SqliteEventIndex(layout.indexDb) });
 * await indexer.catchUp(); // { indexed: 42, offset: 13370 }
 */
export class LocalIndexer {
  private readonly batch: number;
  private readonly cursorName: string;
  private running: Promise<IndexerReport> | undefined;

  constructor(private readonly options: LocalIndexerOptions) {
    this.batch = options.batch ?? 5_000;
    this.cursorName = options.cursorName ?? INDEXER_CURSOR;
  }

  /** Index everything journaled so far (or until told to `stop`). Concurrent calls share one run. */
  catchUp(): Promise<IndexerReport> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The journal offset the index has reached. */
  offset(): Promise<number> {
    return this.options.index.cursor(this.cursorName);
  }

  private async run(): Promise<IndexerReport> {
    let offset = await this.offset();
    let indexed = 0;
    for (let pages = 0; ; pages++) {
      const page = await this.page(offset);
      if (typeof page === 'number') {
        offset = page;
        continue;
      }
      const { entries, next } = page;
      if (next === offset) return { indexed, offset };
      if (pages > 0 && this.options.stop?.()) return { indexed, offset, stopped: true };
      try {
        await this.options.index.putWithCursor(entries.map((e) => entryOf(e, this.options.accountsOf)), { name: this.cursorName, value: next });
      } catch (error) {
        // A put waiting for another process's lock is ended by close() (the index's signal): nothing of the page was
        // written, so the catch-up ends `stopped` as between pages, and the next open indexes the page.
        if (error instanceof TransientError && this.options.stop?.()) return { indexed, offset, stopped: true };
        throw error;
      }
      indexed += entries.length;
      offset = next;
    }
  }

  /**
   * The journal page at `offset`, or the offset to go on from when another indexer (another process on the data
   * dir) indexed past it and the log deleted its segment meanwhile: its cursor in index.db says so.
   */
  private async page(offset: number): Promise<Awaited<ReturnType<FsEventLog['journalSince']>> | number> {
    try {
      return await this.options.log.journalSince(offset, this.batch);
    } catch (error) {
      if (!(error instanceof JournalSegmentDeletedError)) throw error;
      const durable = await this.offset();
      if (durable > offset) return durable;
      // Only a lost or replaced index.db starts behind the journal's oldest segment: the objects still hold every event.
      throw namingCommands((spell) => new JournalSegmentDeletedError(error.offset, error.oldest, {
        cause: error,
        hint: `index.db is behind the journal (lost, replaced or restored from an old backup); stop every process on the data dir and run \`${spell('repair', 'index')}\` (repairIndex) to rebuild it from the objects`,
      }));
    }
  }
}
