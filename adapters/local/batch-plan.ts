// What one FsEventLog append writes: its events grouped into one batch object per hour, their journal lines and
// results, and how a stored identity's journal line is found again. Pure, except reading the journal back.

import { EventConflictError } from '../../domain/errors.ts';
import { batchObjectKey } from '../../domain/batch-objects.ts';
import { eventId, partitionPrefix, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import type { AppendResult, EventLocation } from '../../domain/ports/event-log.ts';
import { batchRef, parseBatchRef, type IngestJournal, type JournalLine, type JournalRecord } from './ingest-journal.ts';
import { catalogueKey } from './sqlite-log-catalogue.ts';

/** One identity of an append, with every input position that carries it. */
export interface BatchEvent {
  readonly id: string;
  /** catalogueKey: the identity under its hour. */
  readonly key: string;
  readonly content: string;
  /** Bytes of `content`. */
  readonly length: number;
  /** The hour partition's key prefix. */
  readonly hour: string;
  /** Input positions of this identity. */
  readonly at: number[];
}

/** One batch object to write: its key and events, in input order (= line order). */
export interface PlannedObject {
  readonly key: string;
  readonly events: BatchEvent[];
  /** Bytes of the object. */
  size: number;
}

/**
 * The distinct identities of an append, in input order. The same identity twice with the same bytes is one event
 * (the later positions are duplicates); with other bytes it is an `EventConflictError` naming both positions, before
 * anything is written.
 */
export function gatherBatch(events: readonly DomainEvent[]): Map<string, BatchEvent> {
  const batch = new Map<string, BatchEvent>();
  const hours = new Map<number, string>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const id = eventId(event);
    const content = serializeEvent(event);
    const seen = batch.get(id);
    if (seen) {
      if (seen.content !== content) throw new EventConflictError(id, `${seen.hour}${id}`, { positions: [seen.at[0]!, i] });
      seen.at.push(i);
      continue;
    }
    const hourStart = Math.floor(event.EventTimeStamp / 3600);
    let hour = hours.get(hourStart);
    if (hour === undefined) hours.set(hourStart, (hour = partitionPrefix(event.EventTimeStamp)));
    batch.set(id, { id, key: catalogueKey(id, event.EventTimeStamp), content, length: Buffer.byteLength(content), hour, at: [i] });
  }
  return batch;
}

/**
 * One object per hour for the new events of the append journaled at `sequence`, and their journal records: in input
 * order (positions follow it), each naming its object, offset and the object's size.
 */
export function planObjects(fresh: readonly BatchEvent[], sequence: number): { objects: PlannedObject[]; records: JournalRecord[] } {
  const byHour = new Map<string, PlannedObject>();
  const placed: { event: BatchEvent; object: PlannedObject; offset: number }[] = [];
  for (const event of fresh) {
    let object = byHour.get(event.hour);
    if (!object) byHour.set(event.hour, (object = { key: batchObjectKey(event.hour, sequence), events: [], size: 0 }));
    placed.push({ event, object, offset: object.size });
    object.events.push(event);
    object.size += event.length + 1;
  }
  const records = placed.map(({ event, object, offset }) => ({ key: batchRef({ key: object.key, offset, size: object.size }), content: event.content }));
  return { objects: [...byHour.values()], records };
}

/** The bytes of a planned object: its events' lines, encoded straight into a buffer of the object's size. */
export function objectBytes(object: PlannedObject): Buffer {
  const buf = Buffer.allocUnsafe(object.size);
  let at = 0;
  for (const e of object.events) {
    at += buf.write(e.content, at, 'utf8');
    buf[at++] = 10;
  }
  // `size` adds up Buffer.byteLength of each content; a shortfall would leave uninitialized bytes in a stored object.
  if (at !== object.size) throw new Error(`batch object ${object.key}: ${at} bytes encoded, ${object.size} planned`);
  return buf;
}

/** Fill `results` for the events stored in `objects`: the first position `stored`, any repeat `duplicate`. */
export function storedResults(objects: readonly PlannedObject[], results: AppendResult[]): void {
  for (const object of objects) {
    let offset = 0;
    for (const e of object.events) {
      const location = { key: object.key, offset, length: e.length };
      e.at.forEach((i, n) => { results[i] = { id: e.id, key: object.key, location, status: n === 0 ? 'stored' : 'duplicate', size: e.length + 1 }; });
      offset += e.length + 1;
    }
  }
}

/** Where a journal line's event is stored. */
export function locationOf(line: JournalLine | undefined): EventLocation | undefined {
  if (!line) return undefined;
  const ref = parseBatchRef(line.key);
  return ref ? { key: ref.key, offset: ref.offset, length: Buffer.byteLength(line.content) } : { key: line.key };
}

/**
 * The journal lines of the append that starts at `offset` (every line of its batch objects), or the one line there
 * when it was recorded on its own. Read once per append a duplicate check needs, whatever the number of duplicates.
 */
export function appendLines(journal: IngestJournal, offset: number): JournalLine[] {
  const out: JournalLine[] = [];
  let append: string | undefined;
  for (let at = offset; ; ) {
    const { lines, next } = journal.read(at, 1_000);
    for (const line of lines) {
      const ref = parseBatchRef(line.key);
      const batchOf = ref && ref.key.slice(ref.key.lastIndexOf('/'));
      if (append !== undefined && batchOf !== append) return out;
      append = batchOf ?? '';
      out.push(line);
      if (!ref) return out;
    }
    if (next === at) return out;
    at = next;
  }
}

/** Whether `bytes` (a batch object) holds exactly `content` as the line at `location`. */
export function holdsLine(bytes: Buffer, location: Required<EventLocation>, content: string): boolean {
  return bytes[location.offset + location.length] === 10 && bytes.toString('utf8', location.offset, location.offset + location.length) === content;
}
