// SqliteLogCatalogue: which event identities FsEventLog holds (journal/catalogue.db), and the lock its appends share.

import { namingCommands } from '../../domain/command-spelling.ts';
import type Database from 'better-sqlite3';
import { JournalSegmentDeletedError, TransientError } from '../../domain/errors.ts';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { eventId } from '../../domain/event.ts';
import { parseBatchRef, type IngestJournal, type JournalLine } from './ingest-journal.ts';
import { parseEventLine } from './fs-objects.ts';
import { setUpCatalogue } from './catalogue-schema.ts';
import { openDatabase } from './sqlite-open.ts';
import { catalogueKey, idOfKey } from './catalogue-key.ts';
import { OtherHourLookup } from './other-hour-lookup.ts';

export { catalogueKey } from './catalogue-key.ts';

/**
 * An identity and where the journal line that stored it is found: at `journalOffset`, or among the lines of the
 * append that starts there (the journal keeps every stored event's exact bytes).
 */
export interface CatalogueRecord {
  /** `catalogueKey` of the event. */
  readonly key: string;
  readonly journalOffset: number;
}

/**
 * Why a catalogue: with several events per object, a file name no longer says whether an identity is stored, and
 * looking for every event of a batch in the folders would cost what batching saves. The catalogue answers it with one
 * statement per batch, for every process appending to the data dir.
 *
 * Why it may lag and still be right: the journal is the truth. Appenders take the catalogue's write lock (BEGIN
 * IMMEDIATE), first record any journal lines past the catalogue's cursor (left by a writer that crashed between its
 * journal fsync and its commit), then check their batch, journal it, and record it with the new cursor in one
 * transaction. So every check sees every journaled identity, and commits need no fsync of their own
 * (synchronous=NORMAL): a commit lost to a power cut is rebuilt from the journal by the next lock holder. The
 * journal deletes a segment only below `durableCursor`, so that rebuild never needs a deleted line; a catalogue lost
 * altogether after segments were deleted cannot catch up and says so (`JournalSegmentDeletedError`).
 */
export class SqliteLogCatalogue {
  private readonly db: Database.Database;
  private readonly findStmt: Database.Statement<[string, number], { key: string; journal_offset: number }>;
  private readonly insertStmt: Database.Statement<[number, string]>;
  private readonly insertOneStmt: Database.Statement<[string, number]>;
  private readonly cursorStmt: Database.Statement<[], { value: number }>;
  private readonly setCursorStmt: Database.Statement<[number]>;
  private readonly otherHours: OtherHourLookup;

  /**
   * @param indexDb index.db of the data dir (FsEventLog gives it): an identity in another hour is looked up there, and
   * among this catalogue's rows not indexed yet. Without it every row counts as not indexed (kept in memory).
   */
  constructor(file: string, indexDb?: string) {
    this.db = openDatabase(file, setUpCatalogue);
    // One statement per batch, ids passed as a JSON array: a statement per id costs more than the B-tree work.
    this.insertStmt = this.db.prepare('INSERT OR IGNORE INTO identities SELECT value, ? FROM json_each(?)');
    this.insertOneStmt = this.db.prepare('INSERT OR IGNORE INTO identities VALUES (?, ?)');
    this.findStmt = this.db.prepare('SELECT key, journal_offset FROM identities WHERE key IN (SELECT value FROM json_each(?)) AND journal_offset <> ?');
    this.cursorStmt = this.db.prepare('SELECT value FROM cursor WHERE one = 1');
    this.setCursorStmt = this.db.prepare('UPDATE cursor SET value = ? WHERE one = 1');
    this.otherHours = new OtherHourLookup(this.db, indexDb);
  }

  /** Run `fn` holding the write lock every appender of this data dir takes; rolled back if it throws. */
  locked<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) throw new TransientError(`the log catalogue is busy (another process holds its lock): ${(error as Error).message}; try again`, { cause: error });
      throw error;
    }
  }

  /**
   * `locked`, handing `fn` the connection: for `repairCatalogue`, which rewrites the tables under the same lock
   * appenders take, so they wait for it and then see the repaired catalogue.
   */
  lockedConnection<T>(fn: (db: Database.Database) => T): T {
    return this.locked(() => fn(this.db));
  }

  /**
   * Claim `keys` for the append journaled from `journalOffset` (call inside `locked`, which rolls the claim back if the
   * append fails). Returns, by identity, the record of each identity stored before: under the same key (same hour)
   * if there is one, else under another hour's (`OtherHourLookup`: index.db and the rows not indexed yet); usually none.
   */
  claim(keys: readonly string[], journalOffset: number): Map<string, CatalogueRecord> {
    const ids = keys.map(idOfKey);
    const otherHour = this.otherHours.read(ids, journalOffset); // the batch goes at the journal's end
    const json = JSON.stringify(keys);
    const known = new Map<string, CatalogueRecord>();
    if (this.insertStmt.run(journalOffset, json).changes !== keys.length) {
      for (const row of this.findStmt.all(json, journalOffset)) known.set(idOfKey(row.key), { key: row.key, journalOffset: row.journal_offset });
    }
    keys.forEach((key, i) => {
      const other = known.has(ids[i]!) ? undefined : otherHour(ids[i]!, key);
      if (other) known.set(ids[i]!, other);
    });
    return known;
  }

  /** Move the cursor to `cursor` (journal bytes recorded). Call inside `locked`. */
  setCursor(cursor: number): void {
    this.setCursorStmt.run(cursor);
  }

  /** Record identities (the first record of an identity wins) and move the cursor to `cursor`. Call inside `locked`. */
  private record(records: readonly CatalogueRecord[], cursor: number): void {
    for (const r of records) this.insertOneStmt.run(r.key, r.journalOffset);
    this.setCursorStmt.run(cursor);
  }

  /** Journal bytes already recorded. */
  cursor(): number {
    return this.cursorStmt.get()?.value ?? 0;
  }

  /**
   * The cursor, made durable first: commits are not fsynced on their own (synchronous=NORMAL), and a FULL WAL
   * checkpoint fsyncs every commit so far. Undefined when other connections kept the checkpoint from completing.
   * Call outside `locked`. Why: the journal below this cursor may then be deleted without a power cut taking the
   * catalogue back to a cursor whose lines are gone.
   */
  durableCursor(): number | undefined {
    const cursor = this.cursor();
    const [result] = this.db.pragma('wal_checkpoint(FULL)') as { busy: number }[];
    return result?.busy === 0 ? cursor : undefined;
  }

  /**
   * Record the journal lines past the cursor (call inside `locked`). Normally there are none; after a crash between a
   * journal fsync and its commit, or on the first open of a data dir written before the catalogue existed, there are.
   * Returns the journal's size it caught up to.
   */
  catchUp(journal: IngestJournal): number {
    let offset = this.cursor();
    const end = journal.size();
    while (offset < end) {
      const { lines, next } = readForCatchUp(journal, offset);
      if (next === offset) break;
      const records: CatalogueRecord[] = [];
      for (const line of lines) {
        const key = keyOfLine(line.content);
        if (key !== undefined) records.push({ key, journalOffset: appendOffsetOf(line) });
      }
      this.record(records, next);
      offset = next;
    }
    return end;
  }

  close(): void {
    this.otherHours.close();
    this.db.close();
  }
}

/** A page of journal lines for `catchUp`; a deleted segment names the fix that applies to the catalogue. */
function readForCatchUp(journal: IngestJournal, offset: number): ReturnType<IngestJournal['read']> {
  try {
    return journal.read(offset, 10_000);
  } catch (error) {
    if (!(error instanceof JournalSegmentDeletedError)) throw error;
    // Why not a restore or journalReaders: index.db holds every identity the deleted lines held, and so
    // `repairCatalogue` rebuilds the catalogue from it.
    throw namingCommands((spell) => new JournalSegmentDeletedError(error.offset, error.oldest, {
      cause: error,
      hint: 'the identity catalogue (journal/catalogue.db) was lost or damaged after those segments were deleted and cannot catch up from the journal; ' +
        `run \`${spell('repair', 'catalogue')}\` (repairCatalogue) to rebuild it from index.db, then append again`,
    }));
  }
}

/**
 * Where an identity caught up from `line` is recorded: for a line of a batch object, the offset of the append that
 * journaled it (the object's sequence), as `claim` records it. Why not the line's own offset: once the segment is
 * deleted, `StoredEvents.find` finds the event in the batch object named by the recorded offset, and none is named by a
 * line's offset, so sending the event again failed (StorageError) instead of answering duplicate.
 */
function appendOffsetOf(line: JournalLine): number {
  const ref = parseBatchRef(line.key);
  return (ref && batchSequenceOf(ref.key)) ?? line.offset;
}

function keyOfLine(content: string): string | undefined {
  const event = parseEventLine(content);
  try {
    return event ? catalogueKey(eventId(event), event.EventTimeStamp) : undefined;
  } catch {
    return undefined;
  }
}
