// The objects index.db's events live in: storage class and restore state changes, committed in batches, and summaries.

import type Database from 'better-sqlite3';
import { EVENT_OBJECT_SUFFIX } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { guard } from './sqlite-index-db.ts';
import { ownObjectKey, type EventRow } from './sqlite-index-schema.ts';
import type { IndexStatements } from './sqlite-index-statements.ts';

/** One object as `objects()` reports it. */
export type ObjectSummary = Awaited<ReturnType<EventIndex['objects']>>[number];
type OwnObjectRow = { id: string; timestamp: number; storageClass: StorageClass; restore: RestoreState; size: number };

/** The object-level side of SqliteEventIndex: `setObjectStorage` and `objects`, on its connection and statements. */
export class IndexObjects {
  /** setObjectStorage calls waiting for their shared commit. */
  private storageChanges: { key: string; storageClass: StorageClass; restore: RestoreState; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly db: Database.Database, private readonly sql: IndexStatements) {}

  /**
   * Changes requested in the same turn of the event loop (an archive tier reporting a batch of restores at once)
   * commit as one transaction, in the order requested: one commit (one fsync) for hundreds of segments. Each call
   * resolves once its change is committed, or rejects with the batch's error.
   */
  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    return new Promise((resolve, reject) => {
      this.storageChanges.push({ key, storageClass, restore, resolve, reject });
      if (this.storageChanges.length === 1) queueMicrotask(() => this.commitStorageChanges());
    });
  }

  private commitStorageChanges(): void {
    const changes = this.storageChanges;
    this.storageChanges = [];
    try {
      guard(() => this.db.transaction(() => { for (const c of changes) this.setStorage(c.key, c.storageClass, c.restore); }).immediate());
    } catch (error) {
      for (const c of changes) c.reject(error);
      return;
    }
    for (const c of changes) c.resolve();
  }

  private setStorage(key: string, storageClass: StorageClass, restore: RestoreState): void {
    this.sql.setStorageByKey.run(storageClass, restore, key);
    if (!key.endsWith(EVENT_OBJECT_SUFFIX)) return;
    const id = key.slice(key.lastIndexOf('/') + 1, -EVENT_OBJECT_SUFFIX.length);
    const row = this.sql.byId.get(id) as EventRow | undefined;
    if (row && row.object_key === null && ownObjectKey(id, row.timestamp) === key) this.sql.setStorageById.run(storageClass, restore, id);
  }

  async objects(options: { before?: number } = {}): Promise<ObjectSummary[]> {
    const before = options.before ?? null;
    return guard(() => {
      const shared = this.sql.sharedObjects.all({ before }) as ObjectSummary[];
      const own = (this.sql.ownObjects.all({ before }) as OwnObjectRow[]).map((r): ObjectSummary => ({
        key: ownObjectKey(r.id, r.timestamp), storageClass: r.storageClass, restore: r.restore, events: 1, bytes: r.size, maxTimestamp: r.timestamp,
      }));
      return [...shared, ...own].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }

  /**
   * Of `keys` (shared objects: segments, batch objects), those the index knows to hold no event in [from, to). An
   * object the index has no entry for is never among them: what the index cannot vouch for is not ruled out.
   */
  async withoutEventsIn(keys: readonly string[], range: { readonly from: number; readonly to: number }): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    return guard(() => new Set(this.db.prepare(`SELECT object_key FROM events WHERE object_key IN (SELECT value FROM json_each(?))
      GROUP BY object_key HAVING MAX(timestamp >= ? AND timestamp < ?) = 0`).pluck().all(JSON.stringify(keys), range.from, range.to) as string[]));
  }
}
