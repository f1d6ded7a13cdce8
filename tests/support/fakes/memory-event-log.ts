// An in-memory EventLog for unit tests: one-event objects and NDJSON segments, archived keys unreadable until restored.

import { ArchivedEventError, EventConflictError, EventNotFoundError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey, serializeEvent } from '../../../domain/event.ts';
import type { AppendResult, EventLocation, EventLog, LocatedEvent, LogObject } from '../../../domain/ports/event-log.ts';
import type { MemoryArchiveTier } from './memory-archive-tier.ts';

export class MemoryEventLog implements EventLog {
  readonly objects = new Map<string, string>();
  /** Objects read, by key, for "a segment is read once" assertions. */
  readonly reads = new Map<string, number>();

  constructor(private readonly archive: MemoryArchiveTier) {}

  async append(events: readonly DomainEvent[]): Promise<AppendResult[]> {
    for (const e of events) {
      const have = this.objects.get(eventKey(e));
      if (have !== undefined && have !== `${serializeEvent(e)}\n`) throw new EventConflictError(eventId(e), eventKey(e));
    }
    return events.map((e) => {
      const key = eventKey(e);
      const body = `${serializeEvent(e)}\n`;
      const status = this.objects.has(key) ? 'duplicate' : 'stored';
      this.objects.set(key, body);
      return { id: eventId(e), key, location: { key }, status, size: Buffer.byteLength(body) };
    });
  }

  async read(location: EventLocation): Promise<DomainEvent> {
    const body = this.body(location.key);
    if (location.offset === undefined) return JSON.parse(body) as DomainEvent;
    return JSON.parse(Buffer.from(body).subarray(location.offset, location.offset + (location.length ?? 0)).toString()) as DomainEvent;
  }

  async *readObject(key: string): AsyncIterable<LocatedEvent> {
    const bytes = Buffer.from(this.body(key));
    let offset = 0;
    while (offset < bytes.length) {
      const end = bytes.indexOf(10, offset);
      const length = end - offset;
      yield { event: JSON.parse(bytes.subarray(offset, end).toString()) as DomainEvent, location: { key, offset, length } };
      offset = end + 1;
    }
  }

  async *list(prefix: string): AsyncIterable<LogObject> {
    for (const key of [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort()) yield { key, size: Buffer.byteLength(this.objects.get(key)!) };
  }

  async writeSegment(key: string, lines: readonly string[]): Promise<{ size: number; locations: EventLocation[] }> {
    const locations: EventLocation[] = [];
    let offset = 0;
    for (const l of lines) {
      const length = Buffer.byteLength(l);
      locations.push({ key, offset, length });
      offset += length + 1;
    }
    this.objects.set(key, lines.map((l) => `${l}\n`).join(''));
    return { size: offset, locations };
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.objects.delete(k);
  }

  private body(key: string): string {
    const body = this.objects.get(key);
    if (body === undefined) throw new EventNotFoundError(key);
    if (!this.archive.readable(key)) throw new ArchivedEventError(key, this.archive.classOf(key));
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return body;
  }
}
