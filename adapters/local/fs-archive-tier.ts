// FsArchiveTier: the simulated S3 archive tier of the local data dir — moves bytes to archive/<class>/, restores them.
//
// State lives in archive.db: one row per archived key (absent row = STANDARD). Every move copies and fsyncs first,
// records the new class second, and unlinks the old copy last, so a crash leaves the key in one place or two, never
// zero. A row whose old copy may still exist carries `moving_from` until the unlink is done; opening the tier
// finishes such moves.

import type Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import type { ArchiveTier, RestoreRequest } from '../../domain/ports/archive-tier.ts';
import type { ObjectStorage, RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { archivePath, assertKey, dataDirLayout, ensureDirSync, hotPath, type ArchiveClass, type DataDirLayout } from './layout.ts';
import { copyDurably, exists, unlinkDurably } from './archive-files.ts';
import { ArchiveRestores } from './archive-restores.ts';
import { ARCHIVE_SCHEMA, archivedRow, toStorage, type ArchivedRow } from './archive-rows.ts';
import { fsyncDirSync, unlinkIfExists } from './durable-fs.ts';
import { openSqlite } from './sqlite-checkpoint-store.ts';
import { asStorageFailure } from './storage-full.ts';

export { RESTORE_DELAY_FACTORS } from './archive-restores.ts';

// True at every step of a move or restore (see the header): why the same operation run again completes it.
const KEPT = 'every key stays readable in the storage class archive.db records for it (a partial copy is removed; ' +
  'a copy is recorded only once it is whole)';

const RANK: Readonly<Record<StorageClass, number>> = { STANDARD: 0, GLACIER: 1, DEEP_ARCHIVE: 2 };

/** Called after every change of a key's storage state (the assembly passes the index's `setObjectStorage`). */
export type StorageChangeListener = (key: string, storageClass: StorageClass, restore: RestoreState) => Promise<void>;

export interface FsArchiveTierOptions {
  readonly dataDir: string;
  /**
   * Base of the simulated restore delay (see `RESTORE_DELAY_FACTORS`); 0 makes restores complete at once: `restore()`
   * returns with the copy readable and reports the key RESTORED (never RESTORING).
   */
  readonly restoreDelayMs?: number;
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  readonly onStorageChange?: StorageChangeListener;
}

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
  private readonly restores: ArchiveRestores;

  constructor(private readonly options: FsArchiveTierOptions) {
    this.layout = dataDirLayout(options.dataDir);
    this.now = options.now ?? Date.now;
    ensureDirSync(this.layout.root);
    // 0600, WAL (retried while another process opening the same new data dir switches it), fsync on commit.
    this.db = openSqlite(this.layout.archiveDb);
    try {
      this.db.exec(ARCHIVE_SCHEMA);
      this.finishMovesSync();
    } catch (error) {
      this.db.close();
      throw asStorageFailure(error, `opening ${this.layout.archiveDb}`, this.layout.archiveDb, KEPT);
    }
    this.restores = new ArchiveRestores(this.db, this.layout, options.restoreDelayMs ?? 0, (rows) => this.notifyAll(rows));
  }

  async storage(keys: readonly string[]): Promise<ObjectStorage[]> {
    for (const key of keys) assertKey(key);
    return this.onDisk('settling due restores', () => this.storageOf(keys));
  }

  private async storageOf(keys: readonly string[]): Promise<ObjectStorage[]> {
    const rows = new Map<string, ArchivedRow>();
    for (const key of keys) {
      const row = this.row(key);
      if (row) rows.set(key, row);
    }
    await this.restores.settleAll([...rows.values()], this.now());
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
    await this.onDisk(`moving ${key} to ${storageClass}`, () => this.move(key, current, storageClass as ArchiveClass));
  }

  /** Copy (durably) first, record second, unlink the old copy last: a failure at any step leaves a readable copy. */
  private async move(key: string, current: StorageClass, target: ArchiveClass): Promise<void> {
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
    const checked = this.restores.checked(keys, request);
    await this.onDisk(`restoring ${keys.length} key(s)`, () => this.restores.request(checked, request, this.now()));
  }

  /** Complete due restores and expire old copies of every archived key; returns the keys whose state changed. */
  async sweep(): Promise<ObjectStorage[]> {
    return this.onDisk('completing and expiring restores', () => this.sweepRows());
  }

  private async sweepRows(): Promise<ObjectStorage[]> {
    const rows = this.db.prepare(`SELECT * FROM archived WHERE restore <> 'NONE'`).all() as ArchivedRow[];
    await this.restores.settleAll(rows, this.now());
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

  /** Finish a move a crash interrupted after the new class was recorded: the new copy exists, drop the old one. */
  private async finishMove(row: ArchivedRow): Promise<void> {
    await unlinkDurably(this.pathIn(row.moving_from!, row.key));
    this.db.prepare('UPDATE archived SET moving_from = NULL WHERE key = ?').run(row.key);
  }

  private finishMovesSync(): void {
    for (const row of this.db.prepare('SELECT * FROM archived WHERE moving_from IS NOT NULL').all() as ArchivedRow[]) {
      const old = this.pathIn(row.moving_from!, row.key);
      if (unlinkIfExists(old)) fsyncDirSync(dirname(old));
      this.db.prepare('UPDATE archived SET moving_from = NULL WHERE key = ?').run(row.key);
    }
  }

  /** `fn`, with a full or failing disk named as StorageFullError (the data dir holds archive/ and archive.db). */
  private async onDisk<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asStorageFailure(error, what, this.layout.root, KEPT);
    }
  }

  private pathIn(storageClass: StorageClass, key: string): string {
    return storageClass === 'STANDARD' ? hotPath(this.layout, key) : archivePath(this.layout, storageClass, key);
  }

  private row(key: string): ArchivedRow | undefined {
    return archivedRow(this.db, key);
  }

  private async notify(row: ArchivedRow): Promise<void> {
    await this.options.onStorageChange?.(row.key, row.storage_class, row.restore);
  }

  /** In one turn, so a listener that writes them (the index) can commit them as one transaction. */
  private async notifyAll(rows: readonly ArchivedRow[]): Promise<void> {
    await Promise.all(rows.map((row) => this.notify(row)));
  }
}
