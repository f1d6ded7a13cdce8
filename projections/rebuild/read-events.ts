// Reading indexed events back from the log, one object at a time: a segment is read once, not once per event.

import { ArchivedEventError, EventNotFoundError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { RebuildDeps } from './deps.ts';

/** Called when an object turns out to be archived and unreadable; resolve once it is readable again. */
export type OnArchived = (key: string, error: ArchivedEventError) => Promise<void>;

/**
 * Reads the events of index entries through the registry's upcast. Keeps the last few segments it read, so entries
 * in replay order (time order, where a segment's events are adjacent) read each segment once.
 */
export class EventReader {
  private readonly segments = new Map<string, Map<string, DomainEvent>>();
  /** Objects read so far (segments and one-event objects). */
  objectsRead = 0;

  constructor(
    private readonly deps: Pick<RebuildDeps, 'log' | 'upcast'>,
    private readonly onArchived?: OnArchived,
    private readonly keep = 4,
  ) {}

  /** The events of `entries`, in the same order. */
  async read(entries: readonly IndexEntry[]): Promise<DomainEvent[]> {
    const out: DomainEvent[] = [];
    for (const entry of entries) out.push(await this.one(entry));
    return out;
  }

  private async one(entry: IndexEntry): Promise<DomainEvent> {
    const upcast = this.deps.upcast ?? ((e: DomainEvent) => e);
    return upcast(await this.retryingArchived(entry.location.key, () => this.raw(entry)));
  }

  private async raw(entry: IndexEntry): Promise<DomainEvent> {
    if (entry.location.offset === undefined) {
      this.objectsRead++;
      return this.deps.log.read(entry.location);
    }
    const events = this.segments.get(entry.location.key) ?? (await this.loadSegment(entry.location.key));
    const event = events.get(entry.id);
    if (!event) throw new EventNotFoundError(`${entry.id} in ${entry.location.key}`);
    return event;
  }

  private async loadSegment(key: string): Promise<Map<string, DomainEvent>> {
    const events = new Map<string, DomainEvent>();
    for await (const { event } of this.deps.log.readObject(key)) events.set(eventId(event), event);
    this.objectsRead++;
    this.segments.set(key, events);
    while (this.segments.size > this.keep) this.segments.delete(this.segments.keys().next().value!);
    return events;
  }

  /** One retry after rehydrating, for a copy that expired (or an index that lagged) since the plan. */
  private async retryingArchived<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ArchivedEventError) || !this.onArchived) throw error;
      await this.onArchived(key, error);
      return fn();
    }
  }
}
