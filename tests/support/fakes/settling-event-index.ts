// An EventIndex whose entries can be committed out of position order, as concurrent DynamoDB indexers do: an entry
// held in flight has its position (below later ones) but is not readable by position until it is revealed.

import type { EventIndex, IndexEntry, IndexRangeQuery, NewIndexEntry, PositionPage } from '../../../domain/ports/event-index.ts';
import type { EventLocation } from '../../../domain/ports/event-log.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';

/**
 * `inner` (which assigns positions as entries are put), hiding the ids held in flight from position reads.
 * `settledPosition()` stays below the lowest held position; `settleMs` is what a promotion waits after its switch.
 */
export class SettlingEventIndex implements EventIndex {
  private readonly held = new Set<string>();

  constructor(private readonly inner: EventIndex, readonly settleMs: number) {}

  /** Entries of these ids, once put, take their positions but stay unreadable by position until `reveal`. */
  hold(...ids: string[]): void {
    for (const id of ids) this.held.add(id);
  }

  reveal(...ids: string[]): void {
    for (const id of ids) this.held.delete(id);
  }

  async settledPosition(): Promise<number> {
    const last = await this.lastPosition();
    const held = await Promise.all([...this.held].map((id) => this.inner.get(id)));
    const lowest = Math.min(...held.flatMap((e) => (e ? [e.position] : [])));
    return Math.min(last, lowest - 1);
  }

  put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]> {
    return this.inner.put(entries);
  }

  get(id: string): Promise<IndexEntry | undefined> {
    return this.inner.get(id);
  }

  between(query: IndexRangeQuery): AsyncIterable<IndexEntry> {
    return this.inner.between(query);
  }

  async afterPosition(after: number, limit: number): Promise<PositionPage> {
    const page = await this.inner.afterPosition(after, limit);
    return { entries: page.entries.filter((e) => !this.held.has(e.id)), next: page.next };
  }

  async lastPosition(): Promise<number> {
    const all = await this.inner.afterPosition(0, Number.MAX_SAFE_INTEGER);
    return Math.max(0, ...all.entries.filter((e) => !this.held.has(e.id)).map((e) => e.position));
  }

  relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void> {
    return this.inner.relocate(moves);
  }

  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void> {
    return this.inner.setObjectStorage(key, storageClass, restore);
  }

  objects(options?: { before?: number }) {
    return this.inner.objects(options);
  }

  count(): Promise<number> {
    return this.inner.count();
  }
}
