// The identity catalogue's settings and tables, set when SqliteLogCatalogue opens it.

import type Database from 'better-sqlite3';
import { retryWhileBusy } from './sqlite-checkpoint-store.ts';

/** Set the catalogue's pragmas and create (or bring up to date) its tables and indexes. */
export function setUpCatalogue(db: Database.Database): void {
  db.pragma('busy_timeout = 60000');
  // Processes opening a new data dir together race to switch it to WAL, which SQLite refuses at once (SQLITE_BUSY,
  // no busy handler) to all but one; the others retry. IMMEDIATE for the same reason: a read lock is not upgraded.
  retryWhileBusy(() => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoints are what fsync in WAL mode: one per 10,000 pages rather than 1,000 (a commit is a few pages), and
    // the WAL is cut back to 8 MiB after each (else it keeps its ~40 MB high-water mark for a serve's lifetime).
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 8388608');
    // identities_offset: the rows index.db may not hold yet are the newest (UnindexedIdentities). identities_id (by
    // identity alone, 28 Nov 2026) is dropped: its random-page writes were what this replaces.
    db.transaction(() => db.exec(`CREATE TABLE IF NOT EXISTS identities (key TEXT PRIMARY KEY, journal_offset INTEGER NOT NULL) WITHOUT ROWID;
      DROP INDEX IF EXISTS identities_id;
      CREATE INDEX IF NOT EXISTS identities_offset ON identities (journal_offset);
      CREATE TABLE IF NOT EXISTS cursor (one INTEGER PRIMARY KEY CHECK (one = 1), value INTEGER NOT NULL);
      INSERT OR IGNORE INTO cursor VALUES (1, 0);`)).immediate();
  });
}
