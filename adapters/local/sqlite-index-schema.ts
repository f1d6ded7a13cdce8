// Schema of index.db (SqliteEventIndex) and the mapping between its rows and IndexEntry.

import type Database from 'better-sqlite3';
import { EVENT_OBJECT_SUFFIX, partitionPrefix } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';

/**
 * `position` is the rowid (AUTOINCREMENT: never reused, so it only grows with ingestion); `id` is unique, which
 * makes `INSERT OR IGNORE` the idempotent put. `accounts` is kept as JSON on the row to rebuild entries without a
 * join, and exploded into `event_accounts` (with the timestamp, so an account's events come out in time order).
 * `object_key` is NULL while an event sits in its own one-event object at the key eventKey() gives it: that key is
 * derived from the timestamp and id, and indexing one long random string per event halved put() throughput, so
 * only other locations (segments) are stored and indexed.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position      INTEGER PRIMARY KEY AUTOINCREMENT,
     id            TEXT    NOT NULL UNIQUE,
     type          TEXT    NOT NULL,
     timestamp     INTEGER NOT NULL,
     accounts      TEXT    NOT NULL,
     object_key    TEXT,
     offset        INTEGER,
     length        INTEGER,
     size          INTEGER NOT NULL,
     storage_class TEXT    NOT NULL,
     restore       TEXT    NOT NULL
   );
   CREATE INDEX events_by_time   ON events (timestamp, id);
   CREATE INDEX events_by_type   ON events (type, timestamp, id);
   CREATE INDEX events_by_object ON events (object_key) WHERE object_key IS NOT NULL;
   CREATE TABLE event_accounts (
     account   TEXT    NOT NULL,
     timestamp INTEGER NOT NULL,
     id        TEXT    NOT NULL,
     PRIMARY KEY (account, timestamp, id)
   ) WITHOUT ROWID;
   CREATE TABLE cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`,
  // Nullable: rows indexed before digests keep NULL until `repair index` rebuilds them (see IndexEntry.digest).
  'ALTER TABLE events ADD COLUMN digest TEXT;',
];

/**
 * Bring the schema to the latest version (tracked in PRAGMA user_version), in one transaction that holds the write
 * lock from its start, the version read again under it: processes opening a new data dir together both read 0, and
 * the second failed with "table events already exists" once the first had migrated.
 */
export function migrate(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) >= MIGRATIONS.length) return;
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= MIGRATIONS.length) return;
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** A row of `events` as better-sqlite3 returns it. */
export interface EventRow {
  position: number;
  id: string;
  type: string;
  timestamp: number;
  accounts: string;
  object_key: string | null;
  offset: number | null;
  length: number | null;
  size: number;
  storage_class: StorageClass;
  restore: RestoreState;
  digest: string | null;
}

export const ROW_COLUMNS = 'position, id, type, timestamp, accounts, object_key, offset, length, size, storage_class, restore, digest';

/** Key of the one-event object of event `id` at `timestamp` (what eventKey() returns). */
export function ownObjectKey(id: string, timestamp: number): string {
  return `${partitionPrefix(timestamp)}${id}${EVENT_OBJECT_SUFFIX}`;
}

/** The `object_key` to store: NULL when the location is the event's own one-event object. */
export function storedObjectKey(id: string, timestamp: number, location: EventLocation): string | null {
  return location.offset === undefined && location.length === undefined && location.key === ownObjectKey(id, timestamp) ? null : location.key;
}

export function toEntry(row: EventRow): IndexEntry {
  const key = row.object_key ?? ownObjectKey(row.id, row.timestamp);
  const location = row.offset === null || row.length === null ? { key } : { key, offset: row.offset, length: row.length };
  return {
    id: row.id,
    type: row.type,
    timestamp: row.timestamp,
    accounts: JSON.parse(row.accounts) as string[],
    location,
    size: row.size,
    storageClass: row.storage_class,
    restore: row.restore,
    position: row.position,
    ...(row.digest === null ? {} : { digest: row.digest }),
  };
}
