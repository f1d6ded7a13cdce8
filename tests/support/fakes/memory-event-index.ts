// An in-memory EventIndex for unit tests: entries with ingestion positions 1, 2, 3, …

import type { EventLocation } from '../../../domain/ports/event-log.ts';
import { checkRangeBounds, checkRangeCursor, type EventIndex, type IndexEntry, type IndexRangeQuery, type NewIndexEntry, type PositionPage } from '../../../domain/ports/event-index.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';
import { compareEvents } from '../../../domain/event.ts';
import { EventNotFoundError } from '../../../domain/errors.ts';

export class MemoryEventIndex implements EventIndex {
  private readonly entries: IndexEntry[] = [];

  async put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]> {
    return entries.map((e) => {
      const have = this.entries.find((x) => x.id === e.id);
      if (have) return have;
      const stored = { ...e, position: this.entries.length + 1 };
      this.entries.push(stored);
      return stored;
    });
  }

  async get(id: string): Promise<IndexEntry | undefined> {
    return this.entries.find((e) => e.id === id);
  }

  async *between(q: IndexRangeQuery): AsyncIterable<IndexEntry> {
    checkRangeBounds(q);
    checkRangeCursor(q.after);
    const hits = this.entries.filter((e) => e.timestamp >= q.from && e.timestamp < q.to && (!q.after || compareEvents(e, q.after) > 0)
      && (!q.types || q.types.includes(e.type)) && (!q.accounts || e.accounts.some((a) => q.accounts!.includes(a))));
    yield* hits.sort(compareEvents);
  }

  async afterPosition(after: number, limit: number): Promise<PositionPage> {
    const entries = this.entries.filter((e) => e.position > after).slice(0, limit);
    return { entries, next: entries.at(-1)?.position ?? after };
  }

  async lastPosition(): Promise<number> {
    return this.entries.length;
  }

  async relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
    // All or nothing, as the adapters' transactions: an unknown id fails before anything moves.
    const missing = moves.find((m) => !this.entries.some((e) => e.id === m.id));
    if (missing) throw new EventNotFoundError(missing.id);
    for (const m of moves) this.update((e) => e.id === m.id, { location: m.location });
  }

  async setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    this.update((e) => e.location.key === key, { storageClass, restore });
  }

  async objects(options: { before?: number } = {}) {
    const byKey = new Map<string, { key: string; storageClass: StorageClass; restore: RestoreState; events: number; bytes: number; maxTimestamp: number }>();
    for (const e of this.entries) {
      const o = byKey.get(e.location.key) ?? { key: e.location.key, storageClass: e.storageClass, restore: e.restore, events: 0, bytes: 0, maxTimestamp: -Infinity };
      o.events++;
      o.bytes += e.size;
      o.maxTimestamp = Math.max(o.maxTimestamp, e.timestamp);
      byKey.set(e.location.key, o);
    }
    return [...byKey.values()].filter((o) => options.before === undefined || o.maxTimestamp < options.before).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async count(): Promise<number> {
    return this.entries.length;
  }

  private update(match: (e: IndexEntry) => boolean, change: Partial<IndexEntry>): void {
    this.entries.forEach((e, i) => { if (match(e)) this.entries[i] = { ...e, ...change }; });
  }
}
