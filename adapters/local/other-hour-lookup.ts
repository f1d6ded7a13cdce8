// OtherHourLookup: where the catalogue finds an identity stored under another hour, under its lock: index.db for the
// identities indexed, its own rows the indexer has not reached yet for the rest.

import type Database from 'better-sqlite3';
import { catalogueKey } from './catalogue-key.ts';
import { IndexedIdentities } from './indexed-identities.ts';
import type { CatalogueRecord } from './sqlite-log-catalogue.ts';
import { UnindexedIdentities } from './unindexed-identities.ts';

/**
 * Why both, read in this order: every catalogue row is either of an append below the indexer's cursor of one index.db
 * read, so in that read, or at or past the append holding that cursor, so kept by `UnindexedIdentities` once it has
 * caught up with the catalogue (which nobody changes while the lock is held).
 */
export class OtherHourLookup {
  private readonly indexed: IndexedIdentities;
  private readonly unindexed: UnindexedIdentities;

  /** `db`: the catalogue's connection; `indexDb`: index.db of the data dir, if known. */
  constructor(db: Database.Database, indexDb: string | undefined) {
    this.indexed = new IndexedIdentities(indexDb);
    this.unindexed = new UnindexedIdentities(db);
  }

  /**
   * Read what an append of `ids` needs (call inside the catalogue lock, before its rows are inserted), journaled from
   * `journalEnd` (the journal's end). Returns the lookup: the record of an identity under another key than the one
   * given, if any.
   */
  read(ids: readonly string[], journalEnd?: number): (id: string, key: string) => CatalogueRecord | undefined {
    const index = this.indexed.snapshot(ids);
    this.unindexed.refresh(index.cursor, journalEnd);
    return (id, key) => {
      const kept = this.unindexed.find(id);
      if (kept && kept.key !== key) return kept;
      const indexed = index.found.get(id);
      const indexedKey = indexed && catalogueKey(id, indexed.timestamp);
      return indexed && indexedKey !== key ? { key: indexedKey!, journalOffset: indexed.journalOffset } : undefined;
    };
  }

  close(): void {
    this.indexed.close();
  }
}
