// IndexedIdentities: the identities index.db holds, read by the identity catalogue under its lock, with the indexer's
// journal cursor of the same moment.

import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { batchSequenceOf } from '../../domain/batch-objects.ts';
import { INDEXER_CURSOR } from './local-indexer.ts';

/**
 * An identity as index.db holds it: its EventTimeStamp and the catalogue offset of its object (`repairCatalogue`'s
 * rule: the append that wrote a batch object, else -1, found among its hour's objects).
 */
export interface IndexedIdentity {
  readonly timestamp: number;
  readonly journalOffset: number;
}

/** What index.db held at one moment: the indexer's journal cursor, and those of the asked identities it holds. */
export interface IndexSnapshot {
  /** Every journal line below it was indexed; `-Infinity` when there is no readable index (nothing is known indexed). */
  readonly cursor: number;
  readonly found: ReadonlyMap<string, IndexedIdentity>;
}

const NOTHING: IndexSnapshot = { cursor: -Infinity, found: new Map() };

/**
 * index.db, opened read-only by the catalogue. Why read it: index.db already keeps every indexed identity in a B-tree by
 * id (the indexer pays its random page writes, once), so the catalogue needs no second index by id, which cost random
 * v4 ids a page write per event in every append. Why read-only and never created here: the lake creates and migrates
 * it; a missing, unmigrated or unreadable index only means nothing is known indexed (the catalogue then checks all of
 * its own rows). Reopened when `repair index` swapped in another file (another inode).
 */
export class IndexedIdentities {
  private db: Database.Database | undefined;
  private stmts: { cursor: Database.Statement<[string], { value: number }>; find: Database.Statement<[string], { id: string; timestamp: number; object_key: string | null }> } | undefined;
  private inode: number | undefined;

  constructor(private readonly file: string | undefined) {}

  /** The indexer's cursor and the identities among `ids` indexed, read in one read transaction (one moment). */
  snapshot(ids: readonly string[]): IndexSnapshot {
    if (!this.open()) return NOTHING;
    try {
      return this.db!.transaction(() => {
        const cursor = this.stmts!.cursor.get(INDEXER_CURSOR)?.value ?? 0;
        const found = new Map<string, IndexedIdentity>();
        for (const row of this.stmts!.find.all(JSON.stringify(ids))) found.set(row.id, { timestamp: row.timestamp, journalOffset: (row.object_key === null ? undefined : batchSequenceOf(row.object_key)) ?? -1 });
        return { cursor, found };
      })();
    } catch {
      // Damaged, or swapped while read: treated as no index (the catalogue's own rows decide), opened afresh next time.
      this.close();
      return NOTHING;
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.stmts = undefined;
    this.inode = undefined;
  }

  /** Whether index.db is open (opened, or reopened after a swap, now). */
  private open(): boolean {
    if (this.file === undefined) return false;
    let inode: number;
    try {
      inode = statSync(this.file).ino;
    } catch {
      this.close();
      return false;
    }
    if (this.db && inode === this.inode) return true;
    this.close();
    let db: Database.Database | undefined;
    try {
      db = new Database(this.file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 60000');
      this.stmts = {
        cursor: db.prepare('SELECT value FROM cursors WHERE name = ?'),
        find: db.prepare('SELECT id, timestamp, object_key FROM events WHERE id IN (SELECT value FROM json_each(?))'),
      };
      this.db = db;
      this.inode = inode;
      return true;
    } catch {
      db?.close();
      this.close();
      return false;
    }
  }
}
