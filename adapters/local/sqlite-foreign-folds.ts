// The SQLite projection store's record of events folded into a generation with other rules than those that built it
// (ProjectionStore.noteForeignFold): one row per generation, in projections.db beside the generation's data. A snapshot
// of the generation carries it (EXPORTED in sqlite-projection-statements.ts), so a rebuild from it is flagged alike.

import type { Database as Db, Statement } from 'better-sqlite3';
import type { ForeignFold } from '../../domain/ports/projection-store.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS foreign_folds (name TEXT NOT NULL, generation INTEGER NOT NULL, rules TEXT NOT NULL,
  first_at INTEGER NOT NULL, events INTEGER NOT NULL, PRIMARY KEY (name, generation)) WITHOUT ROWID;`;

/** The foreign_folds table of one connection (created if missing: data dirs older than it have none). */
export class SqliteForeignFolds {
  private readonly add: Statement;
  private readonly get: Statement;
  /** Run inside dropGeneration's transaction: a generation numbered alike later never inherits the record. */
  readonly drop: Statement;

  constructor(db: Db) {
    db.exec(SCHEMA);
    // The first fold's rules and time stay: they say since when the generation's state may be off, and by whom.
    this.add = db.prepare('INSERT INTO foreign_folds VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET events = events + excluded.events');
    this.get = db.prepare('SELECT rules, first_at AS firstAt, events FROM foreign_folds WHERE name = ? AND generation = ?');
    this.drop = db.prepare('DELETE FROM foreign_folds WHERE name = ? AND generation = ?');
  }

  note(name: string, generation: number, fold: ForeignFold): void {
    this.add.run(name, generation, fold.rules, fold.firstAt, fold.events);
  }

  read(name: string, generation: number): ForeignFold | undefined {
    return this.get.get(name, generation) as ForeignFold | undefined;
  }
}
