// What one stored line is (an event's identity and time, or not an event at all), and whether an index entry's
// location holds the event the entry says it does.

import { eventId, type DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { LogIndexFindingKind } from './log-index-check-report.ts';
import type { ObjectLine, ObjectLines } from './log-index-check-objects.ts';

/** The identity and EventTimeStamp of a line holding one whole event; undefined for anything else. */
export function lineEvent(text: string): { id: string; timestamp: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Partial<DomainEvent>;
  if (typeof e.EventType !== 'string' || typeof e.RequestId !== 'string' || typeof e.EventTimeStamp !== 'number') return undefined;
  return { id: eventId(e as DomainEvent), timestamp: e.EventTimeStamp };
}

/** The line an entry's location names: the one line of a one-event object, or the line at its offset and length. */
function namedLine(entry: IndexEntry, object: ObjectLines): ObjectLine | undefined {
  const { offset, length } = entry.location;
  if (offset === undefined) return object.lines.length === 1 ? object.lines[0] : undefined;
  const line = object.byOffset.get(offset);
  return line && line.length === length ? line : undefined;
}

/** Where `entry` points in `object` as `key@offset`, for examples. */
export function placeOf(entry: IndexEntry): string {
  const { key, offset, length } = entry.location;
  return offset === undefined ? key : `${key}@${offset}+${length ?? '?'}`;
}

/**
 * Whether the entry's location holds its event: undefined when it does, else the finding and why. The bytes must be
 * one whole event (not a line's part or two lines), of the entry's identity, at the entry's EventTimeStamp.
 */
export function entryFinding(entry: IndexEntry, object: ObjectLines): { kind: LogIndexFindingKind; why: string } | undefined {
  const line = namedLine(entry, object);
  if (!line) {
    const lines = object.lines.length;
    return { kind: 'wrongLocation', why: entry.location.offset === undefined ? `the object holds ${lines} lines, not one event` : 'no whole line starts there with that length' };
  }
  const event = lineEvent(line.text);
  if (!event) return { kind: 'wrongLocation', why: 'the bytes there are not one whole event' };
  if (event.id !== entry.id) return { kind: 'wrongLocation', why: `the bytes there are event ${event.id}` };
  if (event.timestamp !== entry.timestamp) return { kind: 'timeMismatch', why: `the event's EventTimeStamp is ${event.timestamp}, the entry's ${entry.timestamp}` };
  return undefined;
}
