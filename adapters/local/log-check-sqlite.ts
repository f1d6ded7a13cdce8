// The SQLite side of `checkLog`: read-only copies of index.db and catalogue.db, and the row streams the check merges.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InvalidArgumentError, TransientError } from '../../domain/errors.ts';
import { EVENT_OBJECT_SUFFIX } from '../../domain/event.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { INDEXER_CURSOR } from './local-indexer.ts';
import { copyOneState } from './log-check-copy.ts';
import type { IndexedAt } from './log-check-leftovers.ts';

/**
 * A private copy of a SQLite file (and its WAL, when one holds commits), opened read-only. Why a copy: SQLite opens a
 * WAL database, even read-only, by creating or writing its `-shm` and `-wal` files, and this build of better-sqlite3
 * takes no `immutable=1` URI; a check that promises to write nothing in the data dir reads a copy in `tempRoot`.
 */
export class DbCopy {
  readonly db: Database.Database;
  private readonly dir: string;
  private readonly path: string;
  private readonly others: Database.Database[] = [];

  /**
   * Throws `InvalidArgumentError` when it cannot check with the file: `tempDir` when no folder can be made in
   * `tempRoot`, `dataDir` when the file cannot be copied or is not a SQLite database; `TransientError` when a writer
   * kept restarting its WAL under the copy (`copyOneState`). `afterMain` is `copyOneState`'s test seam.
   */
  constructor(file: string, tempRoot: string = tmpdir(), afterMain?: () => void) {
    try {
      this.dir = mkdtempSync(join(tempRoot, 'eventlake-check-'));
    } catch (error) {
      throw new InvalidArgumentError('tempDir', `cannot make a folder in ${tempRoot} for a copy of ${basename(file)} (${messageOf(error)}); give --temp-dir (tempDir) a writable folder`);
    }
    const copy = join(this.dir, basename(file));
    this.path = copy;
    try {
      copyOneState(file, copy, afterMain);
    } catch (error) {
      this.discard();
      if (error instanceof TransientError) throw error;
      throw new InvalidArgumentError('dataDir', `cannot copy ${file} to ${this.dir} (${messageOf(error)}); make the file readable, or give --temp-dir (tempDir) a folder with room for it`);
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(copy, { readonly: true, fileMustExist: true });
      db.prepare('SELECT count(*) FROM sqlite_schema').get(); // opening reads nothing: this reads the header
    } catch (error) {
      db?.close();
      this.discard();
      throw new InvalidArgumentError('dataDir', `${file} is not a readable SQLite database (${messageOf(error)}), so there is nothing to check the log against; restore it from a backup`);
    }
    this.db = db;
  }

  /** Another connection to the copy: better-sqlite3 runs no statement on a connection while one is being iterated. */
  connection(): Database.Database {
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    this.others.push(db);
    return db;
  }

  close(): void {
    for (const db of this.others) db.close();
    this.db.close();
    this.discard();
  }

  private discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One index row, with the key of the object it names (its own one-event object when `object_key` is NULL). */
export interface CheckRow {
  readonly id: string;
  readonly timestamp: number;
  readonly key: string;
  readonly offset: number | null;
  readonly length: number | null;
  readonly storageClass: StorageClass;
}

const UTC = (format: string) => `strftime('${format}', timestamp, 'unixepoch')`;
/** ownObjectKey() in SQL, so rows sort by the key of the object they name without loading them. */
const OWN_KEY = `'events/year=' || ${UTC('%Y')} || '/month=' || ${UTC('%m')} || '/day=' || ${UTC('%d')} || '/hour=' || ${UTC('%H')} || '/' || id || '${EVENT_OBJECT_SUFFIX}'`;

/**
 * Every index row in object-key order, then offset (byte order, as the file walk yields keys). SQLite sorts on disk
 * with a bounded cache, so a million rows cost no more memory than a thousand.
 */
export function rowsByObject(index: Database.Database): IterableIterator<CheckRow> {
  return index.prepare(`SELECT id, timestamp, COALESCE(object_key, ${OWN_KEY}) AS key, offset, length, storage_class AS storageClass
    FROM events ORDER BY key, offset`).iterate() as IterableIterator<CheckRow>;
}

/**
 * Where the index has `id`, if anywhere: to tell a second copy of an event from an unindexed one, and a compaction
 * leftover (a copy of the line its row names in a segment) from any other copy.
 */
export function indexedAt(index: Database.Database): (id: string) => IndexedAt | undefined {
  const stmt = index.prepare(`SELECT COALESCE(object_key, ${OWN_KEY}) AS key, offset, length, timestamp FROM events WHERE id = ?`);
  return (id) => stmt.get(id) as IndexedAt | undefined;
}

/** The LocalIndexer's journal offset: catalogue identities journaled at or past it are not indexed yet. */
export function indexerCursor(index: Database.Database): number {
  return (index.prepare('SELECT value FROM cursors WHERE name = ?').get(INDEXER_CURSOR) as { value: number } | undefined)?.value ?? 0;
}

/**
 * The journal offset from which a catalogue identity may still wait for the indexer: its cursor, or, when the cursor
 * stops inside an append, that append's start (the offset the catalogue records for each of its identities). Why: the
 * indexer commits pages of lines, so a crash can leave it mid-append, and compared with the cursor alone the rest of
 * that append read as lost (catalogueOnly, unindexedLine) though the next open indexes it. At the journal's end
 * nothing waits. The price: an identity of that one append lost from the index reads as pending.
 */
export function pendingFrom(catalogue: Database.Database, cursor: number, journalEnd: number): number {
  if (cursor >= journalEnd) return cursor;
  const row = catalogue.prepare('SELECT max(journal_offset) AS o FROM identities WHERE journal_offset <= ?').get(cursor) as { o: number | null } | undefined;
  return row?.o ?? cursor;
}

/**
 * The catalogue's cursor: the journal offset up to which it recorded appends. Its copy holds every append journaled
 * before it and none at or past it (each append commits its identities with the cursor past it, in one transaction).
 */
export function catalogueCursor(catalogue: Database.Database): number {
  return (catalogue.prepare('SELECT value FROM cursor WHERE one = 1').get() as { value: number } | undefined)?.value ?? 0;
}

/** The catalogue's journal offset of an identity key (`catalogueKey`), if it holds it. */
export function catalogueOffsetOf(catalogue: Database.Database): (key: string) => number | undefined {
  const stmt = catalogue.prepare('SELECT journal_offset AS o FROM identities WHERE key = ?');
  return (key) => (stmt.get(key) as { o: number } | undefined)?.o;
}

/** The index's identities as catalogue keys, unordered (for the digest) or in key order (for the set diff). */
export function indexIdentities(index: Database.Database, ordered: boolean): IterableIterator<{ key: string }> {
  const key = `printf('%08d', timestamp / 3600) || '/' || id`;
  return index.prepare(`SELECT ${key} AS key FROM events${ordered ? ' ORDER BY key' : ''}`).iterate() as IterableIterator<{ key: string }>;
}

/** The catalogue's identities in key order (its primary key: no sort). */
export function catalogueIdentities(catalogue: Database.Database): IterableIterator<{ key: string; offset: number }> {
  return catalogue.prepare('SELECT key, journal_offset AS offset FROM identities ORDER BY key').iterate() as IterableIterator<{ key: string; offset: number }>;
}
