// archive.db of the local archive tier: its schema, one row per archived key, and the ObjectStorage a row reports.

import type Database from 'better-sqlite3';
import type { ObjectStorage, RestoreState, RestoreTier, StorageClass } from '../../domain/ports/storage.ts';
import type { ArchiveClass } from './layout.ts';

/** One archived key (absent row = STANDARD). `moving_from` is set while the old copy of a move may still exist. */
export interface ArchivedRow {
  key: string;
  storage_class: ArchiveClass;
  restore: RestoreState;
  tier: RestoreTier | null;
  ready_at: number | null;
  days: number | null;
  expires_at: number | null;
  moving_from: StorageClass | null;
}

export const ARCHIVE_SCHEMA = `CREATE TABLE IF NOT EXISTS archived (
  key TEXT PRIMARY KEY, storage_class TEXT NOT NULL CHECK (storage_class IN ('GLACIER', 'DEEP_ARCHIVE')),
  restore TEXT NOT NULL DEFAULT 'NONE' CHECK (restore IN ('NONE', 'RESTORING', 'RESTORED')),
  tier TEXT, ready_at INTEGER, days INTEGER, expires_at INTEGER, moving_from TEXT, transitioned_at INTEGER NOT NULL
) WITHOUT ROWID;`;

export function archivedRow(db: Database.Database, key: string): ArchivedRow | undefined {
  return db.prepare('SELECT * FROM archived WHERE key = ?').get(key) as ArchivedRow | undefined;
}

export function toStorage(row: ArchivedRow): ObjectStorage {
  return {
    key: row.key,
    storageClass: row.storage_class,
    restore: row.restore,
    ...(row.restore === 'RESTORED' && row.expires_at !== null ? { restoreExpiresAt: row.expires_at } : {}),
  };
}
