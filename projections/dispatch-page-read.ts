// Reading one page of the dispatch tail: its events from the log, upcast, up to the first one the registry refuses or
// an archived object holds.

import { ArchivedEventError, EventlakeError, TransientError, UpcastError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import { DispatchBlockedError } from '../domain/projection-errors.ts';

/** A page's readable events, in order, and the error that stopped reading it short, if one did. */
export interface PageEvents {
  readonly events: readonly DomainEvent[];
  /**
   * Why the page stops after `events`: an event the registry refuses, or an unrestored archived object holding the
   * next one. Neither changes by retrying within seconds (an operator's fix does, or a restore), so the drain stops
   * there at once, after publishing `events`.
   */
  readonly stoppedBy?: DispatchBlockedError | ArchivedEventError;
}

/**
 * The page's events (an object holding several of them, a batch object or a segment, is read once), up to the first
 * one the registry refuses or an archived object holds, which is returned as `stoppedBy`. Any other read failure
 * (the first in page order) is thrown, for the drain to retry the page.
 */
export async function readPage(source: { readonly log: EventLog; readonly upcast?: (event: DomainEvent) => DomainEvent }, entries: readonly IndexEntry[]): Promise<PageEvents> {
  const { log, upcast } = source;
  const read = await readInOrder(log, entries);
  if (!upcast) return read;
  const lifted: DomainEvent[] = [];
  for (const [i, event] of read.events.entries()) {
    try {
      lifted.push(upcast(event));
    } catch (error) {
      if (error instanceof TransientError) throw error;
      // Upcasting is a function of the stored event: whatever it throws (a TypeError of a hand-written `upcast`
      // too) it throws again on every retry.
      const reason = error instanceof EventlakeError ? error
        : new UpcastError(entries[i]!.id, event.EventType, event.SchemaVersion, [], `threw (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      return { events: lifted, stoppedBy: new DispatchBlockedError(entries[i]!.position, entries[i]!.id, reason) };
    }
  }
  return read.stoppedBy ? { events: lifted, stoppedBy: read.stoppedBy } : { events: lifted };
}

/**
 * The stored events of `entries` up to the first an archived object holds. Why not fail the page on it: the events
 * before it are readable, and holding them back until a restore (hours, for DEEP_ARCHIVE) delays them for nothing.
 */
async function readInOrder(log: EventLog, entries: readonly IndexEntry[]): Promise<PageEvents> {
  const perKey = new Map<string, number>();
  for (const e of entries) if (e.location.offset !== undefined) perKey.set(e.location.key, (perKey.get(e.location.key) ?? 0) + 1);
  const shared = new Map<string, Map<number, DomainEvent> | ArchivedEventError>();
  await Promise.all([...perKey].filter(([, n]) => n >= 4).map(async ([key]) => {
    const byOffset = new Map<number, DomainEvent>();
    try {
      for await (const { event, location } of log.readObject(key)) byOffset.set(location.offset!, event);
      shared.set(key, byOffset);
    } catch (error) {
      if (!(error instanceof ArchivedEventError)) throw error;
      shared.set(key, error);
    }
  }));
  const reads = await Promise.allSettled(entries.map(async (e) => {
    const object = shared.get(e.location.key);
    if (object instanceof ArchivedEventError) throw object;
    return object?.get(e.location.offset!) ?? log.read(e.location);
  }));
  const events: DomainEvent[] = [];
  for (const r of reads) {
    if (r.status === 'fulfilled') events.push(r.value);
    else if (r.reason instanceof ArchivedEventError) return { events, stoppedBy: r.reason };
    else throw r.reason;
  }
  return { events };
}
