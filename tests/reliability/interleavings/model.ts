// What two logs on one data dir must have done, as they acknowledge it: every identity stored once, a duplicate
// answered with the original location, a conflict refused. Fed every append's outcome in the order the appends took
// the catalogue lock; collects problems instead of throwing, so a run reports all it found with its seed.

import { eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import type { AppendResult, EventLocation } from '../../../domain/ports/event-log.ts';

/** An identity the data dir holds: its bytes and, once an append acknowledged it, where that append said it is. */
export interface Known {
  readonly content: string;
  readonly hour: string;
  location?: EventLocation;
  /** Compactions (and archivings) of its hour before it was stored: a later one may have moved it from `location`. */
  compactionsAtAck?: number;
}

const sameLocation = (a: EventLocation, b: EventLocation) => a.key === b.key && a.offset === b.offset && a.length === b.length;

export class LogModel {
  readonly known = new Map<string, Known>();
  readonly problems: string[] = [];
  private readonly compactions = new Map<string, number>();

  /** Whether appending `events` must be refused: an identity held with other bytes. */
  expectsConflict(events: readonly DomainEvent[]): boolean {
    return events.some((e) => {
      const k = this.known.get(eventId(e));
      return k !== undefined && k.content !== serializeEvent(e);
    });
  }

  /** Whether appending `events` journals anything (an identity not held yet). */
  hasFresh(events: readonly DomainEvent[]): boolean {
    return events.some((e) => !this.known.has(eventId(e)));
  }

  /** An append returned `results` for `events`. */
  appended(who: string, events: readonly DomainEvent[], results: readonly AppendResult[]): void {
    if (this.expectsConflict(events)) this.problems.push(`${who}: append of ${events.map(eventId).join(', ')} was accepted over other stored bytes`);
    if (results.length !== events.length) this.problems.push(`${who}: ${results.length} results for ${events.length} events`);
    events.forEach((event, i) => this.result(who, event, results[i]));
  }

  /** An append failed after its journal fsync: its new events are in the journal, so the data dir holds them. */
  journaledUnacknowledged(events: readonly DomainEvent[]): void {
    for (const e of events) {
      const hour = partitionPrefix(e.EventTimeStamp);
      if (!this.known.has(eventId(e))) this.known.set(eventId(e), { content: serializeEvent(e), hour, compactionsAtAck: this.compactionsOf(hour) });
    }
  }

  /** A compaction of `hour` (or archiving, which compacts first) starts: it may move acknowledged events. */
  compacted(hour: string): void {
    this.compactions.set(hour, this.compactionsOf(hour) + 1);
  }

  /** Whether an acknowledged location may have been moved by a compaction since. */
  movedSinceAck(k: Known): boolean {
    return this.compactionsOf(k.hour) !== k.compactionsAtAck;
  }

  private compactionsOf(hour: string): number {
    return this.compactions.get(hour) ?? 0;
  }

  private result(who: string, event: DomainEvent, r: AppendResult | undefined): void {
    const id = eventId(event);
    if (r === undefined || r.id !== id) return void this.problems.push(`${who}: no result for ${id} (got ${r?.id})`);
    const k = this.known.get(id);
    if (r.status === 'stored') {
      if (k) return void this.problems.push(`${who}: ${id} stored again at ${r.location.key} (already held${k.location ? ` at ${k.location.key}` : ', unacknowledged'})`);
      this.known.set(id, { content: serializeEvent(event), hour: partitionPrefix(event.EventTimeStamp), location: r.location, compactionsAtAck: this.compactionsOf(partitionPrefix(event.EventTimeStamp)) });
      return;
    }
    if (!k) return void this.problems.push(`${who}: ${id} answered duplicate, but nothing stored it`);
    if (!k.location) {
      // Its first acknowledgement names where it was stored (the journal line's object), as for any duplicate: a
      // compaction since it was journaled may have moved it from there.
      k.location = r.location;
      return;
    }
    if (!sameLocation(k.location, r.location) && !this.movedSinceAck(k)) {
      this.problems.push(`${who}: duplicate ${id} answered ${JSON.stringify(r.location)}, stored at ${JSON.stringify(k.location)}`);
    }
  }
}
