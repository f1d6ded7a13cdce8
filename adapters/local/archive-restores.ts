// The restores of the local archive tier: checking and recording requests, and bringing restore states up to the clock.

import type Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { InvalidArgumentError, RestoreRequestError } from '../../domain/errors.ts';
import type { RestoreRequest } from '../../domain/ports/archive-tier.ts';
import type { RestoreTier } from '../../domain/ports/storage.ts';
import { makeFolders, removeEmptyFolders, restoreCopy, unlinkDurably } from './archive-files.ts';
import { archivedRow, type ArchivedRow } from './archive-rows.ts';
import { inParallel } from './durable-fs.ts';
import { asStorageFailure } from './storage-full.ts';
import { archivePath, assertKey, restoredPath, type ArchiveClass, type DataDirLayout } from './layout.ts';

const DAY_MS = 86_400_000;
const count = (n: number) => `${n} object${n === 1 ? '' : 's'}`;
const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/**
 * Simulated restore delay, as multiples of `restoreDelayMs`, per class and tier. The ratios follow AWS
 * (Glacier: Expedited minutes, Standard 3-5 h, Bulk 5-12 h; Deep Archive: Standard <= 12 h, Bulk <= 48 h);
 * a missing tier is one the class does not offer (Deep Archive has no Expedited).
 */
export const RESTORE_DELAY_FACTORS: Readonly<Record<ArchiveClass, Partial<Record<RestoreTier, number>>>> = {
  GLACIER: { Expedited: 1, Standard: 3, Bulk: 6 },
  DEEP_ARCHIVE: { Standard: 6, Bulk: 12 },
};

/** What `settle` did: the keys whose state changed, and those it could not settle, with their errors. */
interface Settled { readonly settled: Set<string>; readonly failed: Map<string, unknown> }

/** Reports rows whose state just changed, all in one turn (the index commits what it is told in one turn at once). */
export type ReportRows = (rows: readonly ArchivedRow[]) => Promise<void>;

/** The restore side of FsArchiveTier, on its archive.db and data dir. */
export class ArchiveRestores {
  constructor(
    private readonly db: Database.Database,
    private readonly layout: DataDirLayout,
    private readonly delayMs: number,
    private readonly report: ReportRows,
  ) {}

  /** The rows of `keys`, every one checked before any request is recorded: a rejected call changes nothing. */
  checked(keys: readonly string[], request: RestoreRequest): ArchivedRow[] {
    if (!TIERS.includes(request.tier)) throw new InvalidArgumentError('tier', `"${String(request.tier)}" is not one of ${TIERS.join(', ')}`);
    if (!Number.isInteger(request.days) || request.days < 1) throw new InvalidArgumentError('days', `${request.days} is not a whole number of days >= 1`);
    return keys.map((key) => {
      assertKey(key);
      const row = archivedRow(this.db, key);
      if (!row) throw new RestoreRequestError(`${key} is not archived (STANDARD or absent): read it directly, there is nothing to restore`);
      if (RESTORE_DELAY_FACTORS[row.storage_class][request.tier] === undefined) {
        throw new RestoreRequestError(`${row.storage_class} offers no ${request.tier} restore for ${key} (as on AWS): use Standard or Bulk`);
      }
      return row;
    });
  }

  /**
   * Record the requests for `rows` in one transaction, settle those already due, and report every row changed once.
   * Why settled here: with no delay (`restoreDelayMs` 0) a restore is due when requested, and reporting it RESTORING
   * now and RESTORED at the next look made the index rewrite each of the object's events twice.
   * A due restore whose copy cannot be made (an archive/ this user cannot read) has its request undone, so archive.db
   * and the index hold what they held before for it, and the call throws naming it (StorageError, or StorageFullError).
   */
  async request(rows: readonly ArchivedRow[], request: RestoreRequest, now: number): Promise<void> {
    const before = new Map(rows.map((row) => [row.key, row]));
    const changed = [...new Set(this.db.transaction(() => rows.map((row) => this.record(row, request, now)))())];
    const { settled, failed } = await this.settle(changed.map((key) => archivedRow(this.db, key)!), now);
    if (failed.size > 0) this.undo([...failed.keys()].map((key) => before.get(key)!));
    await this.report(changed.filter((key) => !settled.has(key) && !failed.has(key)).map((key) => archivedRow(this.db, key)!));
    if (failed.size > 0) {
      const others = changed.length - failed.size;
      throw this.failure(failed, 'restoring', `no restore of ${count(failed.size)} was recorded: archive.db holds what it held before ` +
        `for ${failed.size === 1 ? 'it' : 'them'}${others > 0 ? `; the request for the other ${count(others)} stands` : ''}`);
    }
  }

  /** `settle`, throwing for the rows it could not settle; those keep their state, and the next look tries them again. */
  async settleAll(rows: readonly ArchivedRow[], now: number): Promise<Set<string>> {
    const { settled, failed } = await this.settle(rows, now);
    if (failed.size > 0) {
      const one = failed.size === 1;
      throw this.failure(failed, 'completing the restore of', `${count(failed.size)} keep${one ? 's' : ''} the restore state archive.db ` +
        `records (a restore stays RESTORING until its copy is made) and ${one ? 'is' : 'are'} tried again at the next look`);
    }
    return settled;
  }

  /**
   * Bring rows up to the clock and report those that changed. A due restore gets its readable copy, an expired copy
   * goes away. Per row the order is the crash-safe one (the copy is durable before RESTORED is recorded; RESTORED is
   * reported after it is recorded; an expired copy is gone before NONE is recorded), but rows move together: copies
   * concurrently, one transaction for their new states, and one round of reports, so restoring hundreds of segments
   * costs a few commits, not hundreds. A row whose copy or unlink fails keeps its state (and the folders made for it
   * are removed): it is in `failed`, with its error, and the others settle all the same.
   */
  private async settle(rows: readonly ArchivedRow[], now: number): Promise<Settled> {
    const settled = new Set<string>();
    const failed = new Map<string, unknown>();
    const due = rows.filter((r) => r.restore === 'RESTORING' && r.ready_at !== null && now >= r.ready_at);
    if (due.length > 0) {
      const expiresAt = (r: ArchivedRow) => r.ready_at! + (r.days ?? 1) * DAY_MS;
      await this.copies(due.filter((r) => now < expiresAt(r)), failed);
      const done = due.filter((r) => !failed.has(r.key));
      const restored = this.db.prepare(`UPDATE archived SET restore = 'RESTORED', expires_at = ? WHERE key = ?`);
      this.db.transaction(() => { for (const r of done) restored.run(expiresAt(r), r.key); })();
      await this.report(done.map((r) => archivedRow(this.db, r.key)!));
      for (const r of done) settled.add(r.key);
    }
    const expired = rows.map((r) => archivedRow(this.db, r.key)).filter((r): r is ArchivedRow => r?.restore === 'RESTORED' && r.expires_at !== null && now >= r.expires_at);
    if (expired.length > 0) {
      await inParallel(expired, (r) => unlinkDurably(restoredPath(this.layout, r.key)).catch((error: unknown) => { failed.set(r.key, error); }));
      const gone = expired.filter((r) => !failed.has(r.key));
      const none = this.db.prepare(`UPDATE archived SET restore = 'NONE', tier = NULL, days = NULL, ready_at = NULL, expires_at = NULL WHERE key = ?`);
      this.db.transaction(() => { for (const r of gone) none.run(r.key); })();
      await this.report(gone.map((r) => archivedRow(this.db, r.key)!));
      for (const r of gone) settled.add(r.key);
    }
    return { settled, failed };
  }

  /** The readable copies of `rows`; a copy that fails goes into `failed`, and the folders made for it are removed. */
  private async copies(rows: readonly ArchivedRow[], failed: Map<string, unknown>): Promise<void> {
    const made = new Map<string, string[]>();
    await inParallel(rows, async (r) => {
      const to = restoredPath(this.layout, r.key);
      try {
        made.set(r.key, await makeFolders(dirname(to)));
        await restoreCopy(archivePath(this.layout, r.storage_class, r.key), to);
      } catch (error) {
        failed.set(r.key, error);
      }
    });
    // After every copy has settled: a folder one copy made may hold another's copy, made meanwhile.
    await removeEmptyFolders([...failed.keys()].flatMap((key) => made.get(key) ?? []));
  }

  /**
   * The error of rows that could not settle: a StorageError (StorageFullError on a full disk) naming the first key,
   * the errno, its path and the fix, how many more, and `kept`; an error of no storage kind (a bug) as it is.
   */
  private failure(failed: ReadonlyMap<string, unknown>, doing: string, kept: string): unknown {
    const [key, error] = [...failed][0]!;
    const more = failed.size > 1 ? ` (and ${failed.size - 1} more)` : '';
    return asStorageFailure(error, `${doing} ${key}${more}`, this.layout.root, kept);
  }

  /** Put `rows` back as they were before a request (their copies could not be made). */
  private undo(rows: readonly ArchivedRow[]): void {
    const put = this.db.prepare('UPDATE archived SET restore = ?, tier = ?, days = ?, ready_at = ?, expires_at = ? WHERE key = ?');
    this.db.transaction(() => { for (const r of rows) put.run(r.restore, r.tier, r.days, r.ready_at, r.expires_at, r.key); })();
  }

  /** A new request, a faster tier for one in progress (AWS allows the upgrade), or a longer life for a restored copy. */
  private record(row: ArchivedRow, request: RestoreRequest, now: number): string {
    const readyAt = now + this.delayMs * RESTORE_DELAY_FACTORS[row.storage_class][request.tier]!;
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
}
