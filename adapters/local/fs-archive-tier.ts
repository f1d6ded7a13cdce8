// FsArchiveTier: the simulated S3 archive tier of the local data dir — moves bytes to archive/<class>/, restores them.
//
// State lives in archive.db: one row per archived key (absent row = STANDARD). Every move copies and fsyncs first,
// records the new class second, and unlinks the old copy last, so a crash leaves the key in one place or two, never
// zero. A row whose old copy may still exist carries `moving_from` until the unlink is done; opening the tier
// finishes such moves.

import type Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { EventNotFoundError, InvalidArgumentError, RestoreRequestError } from '../../domain/errors.ts';
import type { ArchiveTier, RestoreRequest } from '../../domain/ports/archive-tier.ts';
import type { ObjectStorage, RestoreState, RestoreTier, StorageClass } from '../../domain/ports/storage.ts';
import {
  archivePath, assertKey, dataDirLayout, ensureDirSync, hotPath, restoredPath, type ArchiveClass, type DataDirLayout,
} from './layout.ts';
import { copyDurably, exists, restoreCopy, unlinkDurably } from './archive-files.ts';
import { fsyncDirSync, inParallel, unlinkIfExists } from './durable-fs.ts';
import { openSqlite } from './sqlite-checkpoint-store.ts';

const DAY_MS = 86_400_000;

/**
 * Simulated restore delay, as multiples of `restoreDelayMs`, per class and tier. The ratios follow AWS
 * (Glacier: Expedited minutes, Standard 3-5 h, Bulk 5-12 h; Deep Archive: Standard <= 12 h, Bulk <= 48 h);
 * a missing tier is one the class does not offer (Deep Archive has no Expedited).
 */
export const RESTORE_DELAY_FACTORS: Readonly<Record<ArchiveClass, Partial<Record<RestoreTier, number>>>> = {
  GLACIER: { Expedited: 1, Standard: 3, Bulk: 6 },
  DEEP_ARCHIVE: { Standard: 6, Bulk: 12 },
};

const RANK: Readonly<Record<StorageClass, number>> = { STANDARD: 0, GLACIER: 1, DEEP_ARCHIVE: 2 };
const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/** Called after every change of a key's storage state (the assembly passes the index's `setObjectStorage`). */
export type StorageChangeListener = (key: string, storageClass: StorageClass, restore: RestoreState) => Promise<void>;

export interface FsArchiveTierOptions {
  readonly dataDir: string;
  /** Base of the simulated restore delay (see `RESTORE_DELAY_FACTORS`); 0 makes restores complete at once. */
  readonly restoreDelayMs?: number;
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  readonly onStorageChange?: StorageChangeListener;
}

interface Row {
  key: string;
  storage_class: ArchiveClass;
  restore: RestoreState;
  tier: RestoreTier | null;
  ready_at: number | null;
  days: number | null;
  expires_at: number | null;
  moving_from: StorageClass | null;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS archived (
  key TEXT PRIMARY KEY, storage_class TEXT NOT NULL CHECK (storage_class IN ('GLACIER', 'DEEP_ARCHIVE')),
  restore TEXT NOT NULL DEFAULT 'NONE' CHECK (restore IN ('NONE', 'RESTORING', 'RESTORED')),
  tier TEXT, ready_at INTEGER, days INTEGER, expires_at INTEGER, moving_from TEXT, transitioned_at INTEGER NOT NULL
) WITHOUT ROWID;`;

/**
 * The local archive tier.
 *
 * @example
 * const archive = new FsArchiveTier({ dataDir: '.eventlake', restoreDelayMs: 2000, onStorageChange: (k, c, r) => index.setObjectStorage(k, c, r) });
 * await archive.transition('events/year=2024/month=03/day=07/hour=09/segment.ndjson', 'GLACIER');
 * await archive.restore([key], { tier: 'Standard', days: 1 }); // ready 6 s later (3 x 2000 ms)
 */
export class FsArchiveTier implements ArchiveTier {
  private readonly layout: DataDirLayout;
  private readonly db: Database.Database;
  private readonly now: () => number;

  constructor(private readonly options: FsArchiveTierOptions) {
    this.layout = dataDirLayout(options.dataDir);
    this.now = options.now ?? Date.now;
    ensureDirSync(this.layout.root);
    // 0600, WAL (retried while another process opening the same new data dir switches it), fsync on commit.
    this.db = openSqlite(this.layout.archiveDb);
    this.db.exec(SCHEMA);
    this.finishMovesSync();
  }

  async storage(keys: readonly string[]): Promise<ObjectStorage[]> {
    for (const key of keys) assertKey(key);
    const rows = new Map<string, Row>();
    for (const key of keys) {
      const row = this.row(key);
      if (row) rows.set(key, row);
    }
    await this.settleAll([...rows.values()]);
    const out: ObjectStorage[] = [];
    for (const key of keys) {
      const row = rows.has(key) ? this.row(key) : undefined;
      if (row) out.push(toStorage(row));
      else if (await exists(hotPath(this.layout, key))) out.push({ key, storageClass: 'STANDARD', restore: 'NONE' });
      else throw new EventNotFoundError(key);
    }
    return out;
  }

  async transition(key: string, storageClass: StorageClass): Promise<void> {
    assertKey(key);
    const row = this.row(key);
    const current: StorageClass = row?.storage_class ?? 'STANDARD';
    if (RANK[storageClass] < RANK[current]) {
      throw new InvalidArgumentError('storageClass', `${key} is in ${current}; lifecycle transitions only go colder (restore it to read it)`);
    }
    if (storageClass === current) {
      if (row?.moving_from) await this.finishMove(row);
      if (row) await this.notify(row);
      return;
    }
    const target = storageClass as ArchiveClass;
    const from = this.pathIn(current, key);
    const to = archivePath(this.layout, target, key);
    if (await exists(from)) await copyDurably(from, to);
    else if (!(await exists(to))) throw new EventNotFoundError(key);
    this.db.prepare(`INSERT INTO archived (key, storage_class, moving_from, transitioned_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET storage_class = excluded.storage_class, moving_from = excluded.moving_from,
      transitioned_at = excluded.transitioned_at`).run(key, target, current, this.now());
    await this.finishMove(this.row(key)!);
    await this.notify(this.row(key)!);
  }

  async restore(keys: readonly string[], request: RestoreRequest): Promise<void> {
    if (!TIERS.includes(request.tier)) throw new InvalidArgumentError('tier', `"${String(request.tier)}" is not one of ${TIERS.join(', ')}`);
    if (!Number.isInteger(request.days) || request.days < 1) throw new InvalidArgumentError('days', `${request.days} is not a whole number of days >= 1`);
    // Check every key before recording any request: a rejected call changes nothing.
    const rows = keys.map((key) => {
      assertKey(key);
      const row = this.row(key);
      if (!row) throw new RestoreRequestError(`${key} is not archived (STANDARD or absent): read it directly, there is nothing to restore`);
      if (RESTORE_DELAY_FACTORS[row.storage_class][request.tier] === undefined) {
        throw new RestoreRequestError(`${row.storage_class} offers no ${request.tier} restore for ${key} (as on AWS): use Standard or Bulk`);
      }
      return row;
    });
    const now = this.now();
    const changed = this.db.transaction(() => rows.map((row) => this.recordRequest(row, request, now)))();
    // Reported together: a listener that writes them (the index) can commit them as one transaction.
    await Promise.all(changed.map((key) => this.notify(this.row(key)!)));
  }

  /** Complete due restores and expire old copies of every archived key; returns the keys whose state changed. */
  async sweep(): Promise<ObjectStorage[]> {
    const rows = this.db.prepare(`SELECT * FROM archived WHERE restore <> 'NONE'`).all() as Row[];
    await this.settleAll(rows);
    const changed: ObjectStorage[] = [];
    for (const row of rows) {
      const after = this.row(row.key);
      if (after && after.restore !== row.restore) changed.push(toStorage(after));
    }
    return changed;
  }

  close(): void {
    this.db.close();
  }

  /** A new request, a faster tier for one in progress (AWS allows the upgrade), or a longer life for a restored copy. */
  private recordRequest(row: Row, request: RestoreRequest, now: number): string {
    const readyAt = now + (this.options.restoreDelayMs ?? 0) * RESTORE_DELAY_FACTORS[row.storage_class][request.tier]!;
    if (row.restore === 'RESTORED') {
      this.db.prepare('UPDATE archived SET days = ?, expires_at = ? WHERE key = ?').run(request.days, now + request.days * DAY_MS, row.key);
    } else if (row.restore === 'RESTORING') {
      const faster = readyAt < (row.ready_at ?? Infinity);
      this.db.prepare('UPDATE archived SET days = ?, tier = ?, ready_at = ? WHERE key = ?')
        .run(request.days, faster ? request.tier : row.tier, faster ? readyAt : row.ready_at, row.key);
    } else {
      this.db.prepare(`UPDATE archived SET restore = 'RESTORING', tier = ?, days = ?, ready_at = ?, expires_at = NULL WHERE key = ?`)
        .run(request.tier, request.days, readyAt, row.key);
    }
    return row.key;
  }

  /**
   * Bring rows up to the clock: a due restore gets its readable copy, an expired copy goes away. Per row the order is
   * the crash-safe one (the copy is durable before RESTORED is recorded; RESTORED is reported after it is recorded;
   * an expired copy is gone before NONE is recorded), but rows move together: copies concurrently, one transaction
   * for their new states, and one round of reports, so restoring hundreds of segments costs a few commits, not
   * hundreds.
   */
  private async settleAll(rows: readonly Row[]): Promise<void> {
    const now = this.now();
    const due = rows.filter((r) => r.restore === 'RESTORING' && r.ready_at !== null && now >= r.ready_at);
    if (due.length > 0) {
      const expiresAt = (r: Row) => r.ready_at! + (r.days ?? 1) * DAY_MS;
      await inParallel(due.filter((r) => now < expiresAt(r)), (r) => restoreCopy(archivePath(this.layout, r.storage_class, r.key), restoredPath(this.layout, r.key)));
      const restored = this.db.prepare(`UPDATE archived SET restore = 'RESTORED', expires_at = ? WHERE key = ?`);
      this.db.transaction(() => { for (const r of due) restored.run(expiresAt(r), r.key); })();
      await Promise.all(due.map((r) => this.notify(this.row(r.key)!)));
    }
    const expired = rows.map((r) => this.row(r.key)).filter((r): r is Row => r?.restore === 'RESTORED' && r.expires_at !== null && now >= r.expires_at);
    if (expired.length > 0) {
      await inParallel(expired, (r) => unlinkDurably(restoredPath(this.layout, r.key)));
      const none = this.db.prepare(`UPDATE archived SET restore = 'NONE', tier = NULL, days = NULL, ready_at = NULL, expires_at = NULL WHERE key = ?`);
      this.db.transaction(() => { for (const r of expired) none.run(r.key); })();
      await Promise.all(expired.map((r) => this.notify(this.row(r.key)!)));
    }
  }

  /** Finish a move a crash interrupted after the new class was recorded: the new copy exists, drop the old one. */
  private async finishMove(row: Row): Promise<void> {
    await unlinkDurably(this.pathIn(row.moving_from!, row.key));
    this.db.prepare('UPDATE archived SET moving_from = NULL WHERE key = ?').run(row.key);
  }

  private finishMovesSync(): void {
    for (const row of this.db.prepare('SELECT * FROM archived WHERE moving_from IS NOT NULL').all() as Row[]) {
      const old = this.pathIn(row.moving_from!, row.key);
      if (unlinkIfExists(old)) fsyncDirSync(dirname(old));
      this.db.prepare('UPDATE archived SET moving_from = NULL WHERE key = ?').run(row.key);
    }
  }

  private pathIn(storageClass: StorageClass, key: string): string {
    return storageClass === 'STANDARD' ? hotPath(this.layout, key) : archivePath(this.layout, storageClass, key);
  }

  private row(key: string): Row | undefined {
    return this.db.prepare('SELECT * FROM archived WHERE key = ?').get(key) as Row | undefined;
  }

  private async notify(row: Row): Promise<void> {
    await this.options.onStorageChange?.(row.key, row.storage_class, row.restore);
  }
}

function toStorage(row: Row): ObjectStorage {
  return {
    key: row.key,
    storageClass: row.storage_class,
    restore: row.restore,
    ...(row.restore === 'RESTORED' && row.expires_at !== null ? { restoreExpiresAt: row.expires_at } : {}),
  };
}
