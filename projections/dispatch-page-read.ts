// Reading one page of the dispatch tail: its events from the log, upcast, up to the first one the registry refuses.

import { EventlakeError, TransientError, UpcastError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { DispatchBlockedError } from '../domain/projection-errors.ts';

/** A page's readable events, in order, and the error that stopped reading it short, if one did. */
export interface PageEvents {
  readonly events: readonly DomainEvent[];
  readonly blocked?: DispatchBlockedError;
}

/**
 * The page's events (an object holding several of them, a batch object or a segment, is read once), up to the first
 * one the registry refuses, which is returned as `blocked`.
 */
export async function readPage(source: { readonly log: EventLog; readonly upcast?: (event: DomainEvent) => DomainEvent }, entries: readonly IndexEntry[]): Promise<PageEvents> {
  const { log, upcast } = source;
  const perKey = new Map<string, number>();
  for (const e of entries) if (e.location.offset !== undefined) perKey.set(e.location.key, (perKey.get(e.location.key) ?? 0) + 1);
  const shared = new Map<string, Map<number, DomainEvent>>();
  await Promise.all([...perKey].filter(([, n]) => n >= 4).map(async ([key]) => {
    const byOffset = new Map<number, DomainEvent>();
    for await (const { event, location } of log.readObject(key)) byOffset.set(location.offset!, event);
    shared.set(key, byOffset);
  }));
  const events = await Promise.all(entries.map((e) => shared.get(e.location.key)?.get(e.location.offset!) ?? log.read(e.location)));
  if (!upcast) return { events };
  const lifted: DomainEvent[] = [];
  for (const [i, event] of events.entries()) {
    try {
      lifted.push(upcast(event));
    } catch (error) {
      if (error instanceof TransientError) throw error;
      // Upcasting is a function of the stored event: whatever it throws (a TypeError of a hand-written `upcast`
      // too) it throws again on every retry.
      const reason = error instanceof EventlakeError ? error
        : new UpcastError(entries[i]!.id, event.EventType, event.SchemaVersion, [], `threw (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      return { events: lifted, blocked: new DispatchBlockedError(entries[i]!.position, entries[i]!.id, reason) };
    }
  }
  return { events: lifted };
}
