// repairCatalogue: rebuild the identity catalogue (journal/catalogue.db) from index.db, in place, under its lock.

import { namingCommands } from '../../domain/command-spelling.ts';
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { InvalidArgumentError, StorageError } from '../../domain/errors.ts';
import { IngestJournal } from './ingest-journal.ts';
import { dataDirLayout, ensureDirSync, type DataDirLayout } from './layout.ts';
import { INDEXER_CURSOR } from './local-indexer.ts';
import { catalogueKey, SqliteLogCatalogue } from './sqlite-log-catalogue.ts';

/** What `repairCatalogue` changed. */
export interface CatalogueRepairReport {
  readonly dataDir: string;
  /** journal/catalogue.db did not exist and was created. */
  readonly created: boolean;
  readonly identitiesBefore: number;
  readonly identitiesAfter: number;
  /** Identities the catalogue lacked (an append would have stored a repeat of them). */
  readonly added: number;
  /** Identities the catalogue held that neither the index nor the journal past its cursor holds. */
  readonly removed: number;
  /** Journal bytes the catalogue had recorded before. */
  readonly cursorBefore: number;
  /** The LocalIndexer's journal offset in index.db: identities journaled before it came from the index. */
  readonly indexerCursor: number;
  /** Journal bytes recorded after: the journal's end, the lines past the indexer's cursor recorded from the journal. */
  readonly cursorAfter: number;
}

/** Index rows per page: memory stays bounded by one page whatever the size of the index. */
const PAGE = 5_000;
/**
 * The catalogue offset of an identity whose object names no journal offset (a segment, a one-event object): below
 * every journal start, so `StoredEvents.find` looks in the hour's objects, and the batch object it names does not exist.
 */
const NO_BATCH = -1;

/**
 * Rebuild the catalogue of the data dir at `dataDir` from index.db, which holds every indexed identity with its time
 * and location. Why: once old journal segments are deleted, a lost or damaged catalogue can no longer catch up from
 * the journal (`JournalSegmentDeletedError`), and no append can run until it is whole again.
 *
 * In place, inside the catalogue's write lock (BEGIN IMMEDIATE), so appenders in other processes wait and then see
 * the repaired table: every identity is deleted, one is inserted per index row (read from one snapshot of index.db,
 * page by page), the cursor is set to the indexer's cursor in that snapshot, and the journal lines past it (not
 * indexed yet, and kept by the retention rule) are recorded from the journal before the lock is released. Why not
 * leave those to the next append's catch-up: another process's segment release may have read the old, larger cursor
 * before this commit and could delete the segment holding the indexer's cursor right after it.
 *
 * Throws `InvalidArgumentError` for a path without index.db (nothing is created), `StorageError` for a catalogue
 * SQLite cannot open (move it aside and run again), `TransientError` when its lock stays busy. Idempotent.
 *
 * @example
 * const report = repairCatalogue('./.eventlake'); // { identitiesBefore: 0, identitiesAfter: 1200, added: 1200, … }
 */
export function repairCatalogue(dataDir: string): CatalogueRepairReport {
  const layout = dataDirLayout(dataDir);
  assertDataDir(layout);
  const created = !existsSync(layout.logCatalogue);
  ensureDirSync(layout.journalDir);
  const index = new Database(layout.indexDb, { fileMustExist: true });
  let catalogue: SqliteLogCatalogue | undefined;
  const journal = new IngestJournal(layout);
  try {
    index.pragma('busy_timeout = 60000');
    catalogue = refuseDamaged(layout, () => new SqliteLogCatalogue(layout.logCatalogue));
    const open = catalogue;
    return refuseDamaged(layout, () => open.lockedConnection((db) => rebuild(db, open, index, journal, { dataDir: layout.root, created })));
  } finally {
    journal.close(); // its segment descriptors: a long-lived caller must not keep deleted segments' space
    catalogue?.close();
    index.close();
  }
}

function rebuild(db: Database.Database, catalogue: SqliteLogCatalogue, index: Database.Database, journal: IngestJournal,
  base: Pick<CatalogueRepairReport, 'dataDir' | 'created'>): CatalogueRepairReport {
  const count = () => (db.prepare('SELECT count(*) AS n FROM identities').get() as { n: number }).n;
  const identitiesBefore = count();
  const cursorBefore = catalogue.cursor();
  // The old keys, to count what the repair added and removed without holding them in memory (a temp table spills).
  db.exec(`DROP TABLE IF EXISTS temp.previous; CREATE TEMP TABLE previous (key TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO previous SELECT key FROM identities; DELETE FROM identities;`);
  // One read transaction: the rows and the cursor are of the same moment (the indexer commits both together).
  const indexerCursor = index.transaction(() => copyIndex(index, db))();
  catalogue.setCursor(indexerCursor);
  catalogue.catchUp(journal);
  const added = (db.prepare('SELECT count(*) AS n FROM identities WHERE key NOT IN (SELECT key FROM previous)').get() as { n: number }).n;
  const removed = (db.prepare('SELECT count(*) AS n FROM previous WHERE key NOT IN (SELECT key FROM identities)').get() as { n: number }).n;
  db.exec('DROP TABLE temp.previous');
  return { ...base, identitiesBefore, identitiesAfter: count(), added, removed, cursorBefore, indexerCursor, cursorAfter: catalogue.cursor() };
}

/** Insert one identity per index row, paging by id; returns the indexer's cursor. Call in a read transaction. */
function copyIndex(index: Database.Database, db: Database.Database): number {
  const cursor = fromIndex(() => (index.prepare('SELECT value FROM cursors WHERE name = ?').get(INDEXER_CURSOR) as { value: number } | undefined)?.value ?? 0);
  const page = fromIndex(() => index.prepare('SELECT id, timestamp, object_key FROM events WHERE id > ? ORDER BY id LIMIT ?'));
  // One statement per page, the rows passed as a JSON array (as SqliteLogCatalogue.claim does): a statement per row costs more.
  const insert = db.prepare("INSERT INTO identities SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)");
  for (let after = ''; ;) {
    const rows = fromIndex(() => page.all(after, PAGE) as { id: string; timestamp: number; object_key: string | null }[]);
    if (rows.length === 0) return cursor;
    insert.run(JSON.stringify(rows.map((r) => [catalogueKey(r.id, r.timestamp), journalOffsetOf(r.object_key)])));
    after = rows.at(-1)!.id;
  }
}

/**
 * The catalogue offset of an indexed event: for a batch object, the journal offset of the append that wrote it (its
 * name carries it), where `StoredEvents.find` finds the journal line while the segment is kept, and the object after;
 * for anything else, `NO_BATCH`.
 */
export function journalOffsetOf(objectKey: string | null): number {
  // A batch object's sequence is the journal offset of the append that wrote it (batchObjectKey).
  return (objectKey === null ? undefined : batchSequenceOf(objectKey)) ?? NO_BATCH;
}

/** Refuse, creating nothing, a path that is not a data dir: no folder, or no index.db to rebuild from. */
function assertDataDir(layout: DataDirLayout): void {
  const hint = 'point --data-dir (or EVENTLAKE_DATA_DIR) at the folder eventlake writes to';
  if (!(statSync(layout.root, { throwIfNoEntry: false })?.isDirectory() ?? false)) throw new InvalidArgumentError('dataDir', `${layout.root} is not a folder; ${hint}`);
  if (!(statSync(layout.indexDb, { throwIfNoEntry: false })?.isFile() ?? false)) {
    throw new InvalidArgumentError('dataDir', `${layout.root} has no index.db, so it is not an eventlake data dir (or one that lost index.db: there is nothing to rebuild the catalogue from); ${hint}`);
  }
}

/**
 * Run `fn`, a read of index.db. Why apart from `refuseDamaged`: a damaged index must not send the user to move a
 * healthy catalogue aside; it is the source of the repair, and only a backup restores it.
 */
function fromIndex<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!isDamaged(error)) throw error;
    throw namingCommands((spell) => new StorageError(`indexDb: index.db cannot be read by SQLite (${(error as Error).message}); nothing was changed. ` +
      `the catalogue is rebuilt from index.db, so rebuild index.db first (\`${spell('repair', 'index')}\`, or restore it from a backup), and leave the catalogue where it is`, { cause: error }));
  }
}

function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** Run `fn`, turning SQLite's "not a database" or "malformed" of the catalogue into a refusal that says what to do. */
function refuseDamaged<T>(layout: DataDirLayout, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!isDamaged(error)) throw error;
    const file = layout.logCatalogue;
    throw namingCommands((spell) => new StorageError(`logCatalogue: ${file} cannot be read by SQLite (${(error as Error).message}); nothing was changed. ` +
      `Move it aside with its -wal and -shm files (e.g. mv ${file} ${file}.damaged) and run ${spell('repair', 'catalogue')} again: it creates a new one`, { cause: error }));
  }
}
