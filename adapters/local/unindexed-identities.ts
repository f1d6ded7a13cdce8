// UnindexedIdentities: this process's copy of the catalogue rows index.db may not hold yet (journaled at or past the
// append that holds the indexer's cursor), kept by identity and read incrementally under the catalogue lock.

import type Database from 'better-sqlite3';
import { idOfKey } from './catalogue-key.ts';
import type { CatalogueRecord } from './sqlite-log-catalogue.ts';

/** Below every journal offset, -1 (a repaired row without a batch object) included. */
export const BEFORE_ALL = Number.MIN_SAFE_INTEGER;

/**
 * Why a copy in memory: the catalogue is keyed by hour, so finding an identity in any hour needs an index by identity
 * alone, and random (v4) ids made each of its inserts dirty a page (≈ 20 KiB written and 2x the CPU per event at 1M
 * identities). index.db already has that index; the rows it may lack are the newest, which the catalogue finds by
 * `journal_offset` (appended in order, so cheap to index) and this class keeps by identity: each call reads only the
 * rows committed since the last, and forgets the appends wholly below the floor. A floor lower than the last one (an
 * index rebuilt, deleted or unreadable) reads them all again from that floor.
 */
export class UnindexedIdentities {
  private readonly byId = new Map<string, CatalogueRecord>();
  /** Appends in journal order, each with its records, to forget whole appends as the floor rises. */
  private readonly appends: { offset: number; records: CatalogueRecord[] }[] = [];
  private floor = BEFORE_ALL;
  private seen: number | undefined;
  private readonly since: Database.Statement<[number], { key: string; journal_offset: number }>;
  private readonly floorOf: Database.Statement<[number], { x: number | null }>;
  private readonly exists: Database.Statement<[string], { journal_offset: number }>;

  constructor(db: Database.Database) {
    this.since = db.prepare('SELECT key, journal_offset FROM identities INDEXED BY identities_offset WHERE journal_offset > ? ORDER BY journal_offset');
    this.floorOf = db.prepare('SELECT max(journal_offset) AS x FROM identities WHERE journal_offset <= ?');
    this.exists = db.prepare('SELECT journal_offset FROM identities WHERE key = ?');
  }

  /**
   * Bring the copy up to the catalogue (call inside the lock, before the batch is claimed) for an index whose cursor is
   * `indexCursor`: every row of the append that holds it or of a later one is kept. Why that append: the indexer's
   * cursor may stop inside an append's lines, and its rows all carry the append's offset. With `journalEnd` (where the
   * next append goes), a cursor exactly there holds no append: every row is indexed and none is kept. Why: a process's
   * first append after one of a million events (an import) read all its rows here, ≈ 3 s and their memory, for nothing.
   */
  refresh(indexCursor: number, journalEnd?: number): void {
    const floor = indexCursor === journalEnd ? journalEnd
      : indexCursor === -Infinity ? BEFORE_ALL : this.floorOf.get(indexCursor)?.x ?? BEFORE_ALL;
    if (this.seen === undefined || floor < this.floor) this.reset(floor);
    for (const row of this.since.all(this.seen ?? BEFORE_ALL)) this.add({ key: row.key, journalOffset: row.journal_offset });
    this.floor = floor;
    let drop = 0;
    while (drop < this.appends.length && this.appends[drop]!.offset < floor) drop++;
    for (const { records } of this.appends.splice(0, drop)) {
      for (const r of records) if (this.byId.get(idOfKey(r.key)) === r) this.byId.delete(idOfKey(r.key));
    }
  }

  /**
   * The row of `id` kept here, if the catalogue still holds it. Why ask the catalogue: `repair catalogue` may have
   * removed it since it was read (a row neither the index nor the journal holds).
   */
  find(id: string): CatalogueRecord | undefined {
    const record = this.byId.get(id);
    return record && this.exists.get(record.key) ? record : undefined;
  }

  /** Rows kept (for tests and measurements). */
  get size(): number {
    return this.byId.size;
  }

  private add(record: CatalogueRecord): void {
    const last = this.appends.at(-1);
    if (last?.offset === record.journalOffset) last.records.push(record);
    else this.appends.push({ offset: record.journalOffset, records: [record] });
    const id = idOfKey(record.key);
    if (!this.byId.has(id)) this.byId.set(id, record);
    this.seen = record.journalOffset;
  }

  /** Forget every row kept, to read them again from the append at `floor` on (not from the first: 1M rows take seconds). */
  private reset(floor: number): void {
    this.byId.clear();
    this.appends.length = 0;
    this.seen = floor - 1;
  }
}
