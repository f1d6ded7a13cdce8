// SQLite dead-letter store: events a dispatch target failed after every retry, with their error, in dispatch.db.

import type { Database as Db, Statement } from 'better-sqlite3';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { openSqlite, retryable } from './sqlite-checkpoint-store.ts';

/**
 * Dead letters keyed by (event id, target): adding the same pair again replaces it with the newer failure.
 *
 * @example
 * const dlq = new SqliteDeadLetterStore(dataDirLayout(dir).dispatchDb);
 * for (const dl of await dlq.list('balances')) console.log(dl.id, dl.attempts, dl.error);
 */
export class SqliteDeadLetterStore implements DeadLetterStore {
  private readonly db: Db;
  private readonly addStmt: Statement;
  private readonly listAll: Statement;
  private readonly listTarget: Statement;
  private readonly removeStmt: Statement;

  constructor(readonly file: string) {
    this.db = openSqlite(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS dead_letters (id TEXT NOT NULL, target TEXT NOT NULL, error TEXT NOT NULL,
      attempts INTEGER NOT NULL, failed_at INTEGER NOT NULL, PRIMARY KEY (id, target)) WITHOUT ROWID`);
    const columns = 'id, target, error, attempts, failed_at AS failedAt';
    this.addStmt = this.db.prepare('INSERT OR REPLACE INTO dead_letters VALUES (@id, @target, @error, @attempts, @failedAt)');
    this.listAll = this.db.prepare(`SELECT ${columns} FROM dead_letters ORDER BY failed_at, id, target`);
    this.listTarget = this.db.prepare(`SELECT ${columns} FROM dead_letters WHERE target = ? ORDER BY failed_at, id`);
    this.removeStmt = this.db.prepare('DELETE FROM dead_letters WHERE id = ? AND target = ?');
  }

  async add(letter: DeadLetter): Promise<void> {
    const { id, target, error, attempts, failedAt } = letter;
    retryable('dead letter add', () => this.addStmt.run({ id, target, error, attempts, failedAt }), this.file);
  }

  /** Dead letters, oldest failure first; only `target`'s when given. */
  async list(target?: string): Promise<DeadLetter[]> {
    return retryable('dead letter list', () => (target === undefined ? this.listAll.all() : this.listTarget.all(target)) as DeadLetter[], this.file);
  }

  async remove(id: string, target: string): Promise<void> {
    retryable('dead letter remove', () => this.removeStmt.run(id, target), this.file);
  }

  close(): void {
    this.db.close();
  }
}
