// Reading indexed events back from the log, one object at a time: a segment is read once, not once per event.

import { ArchivedEventError, EventNotFoundError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { RebuildDeps } from './deps.ts';

/** Called when an object turns out to be archived and unreadable; resolve once it is readable again. */
export type OnArchived = (key: string, error: ArchivedEventError) => Promise<void>;

const same = (event: DomainEvent): DomainEvent => event;

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
    const upcast = this.deps.upcast ?? same;
    const out = new Array<DomainEvent>(entries.length);
    // Only a segment not read yet, or a one-event object, waits for I/O; the rest of the loop stays synchronous.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const { key } = entry.location;
      let event: DomainEvent | undefined;
      if (entry.location.offset === undefined) {
        event = await this.retryingArchived(key, () => this.readOne(entry));
      } else {
        const events = this.segments.get(key) ?? (await this.retryingArchived(key, () => this.loadSegment(key)));
        event = events.get(entry.id);
        if (!event) throw new EventNotFoundError(`${entry.id} in ${key}`);
      }
      out[i] = upcast(event);
    }
    return out;
  }

  private readOne(entry: IndexEntry): Promise<DomainEvent> {
    this.objectsRead++;
    return this.deps.log.read(entry.location);
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
