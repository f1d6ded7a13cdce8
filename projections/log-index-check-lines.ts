// What one stored line is (an event's identity and time, or not an event at all), and whether an index entry's
// location holds the event the entry says it does.

import { eventId, type DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { LogIndexFindingKind } from './log-index-check-report.ts';
import type { ObjectLine, ObjectLines } from './log-index-check-objects.ts';
import { schemaFinding, type SchemaFinding, type StoredEventValidator } from './log-index-check-schemas.ts';
import { unqueryableWhy } from './log-index-check-unwell.ts';

/** A line holding one whole event: its identity, EventTimeStamp, and why input checks would refuse it today, if they would. */
export interface LineEvent {
  readonly id: string;
  readonly timestamp: number;
  /** Set for an event an older version stored that today's input checks refuse (log-index-check-unwell.ts). */
  readonly unqueryable?: string;
  /** Set for an event replay's validation refuses, when a validator was given (log-index-check-schemas.ts). */
  readonly invalid?: SchemaFinding;
}

/** The event of a line holding one whole event, judged by `validator` when given; undefined for anything else. */
export function lineEvent(text: string, validator?: StoredEventValidator): LineEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Partial<DomainEvent>;
  if (typeof e.EventType !== 'string' || typeof e.RequestId !== 'string' || typeof e.EventTimeStamp !== 'number') return undefined;
  const unqueryable = unqueryableWhy(value as Record<string, unknown>, validator);
  const invalid = validator && schemaFinding(validator, value as DomainEvent);
  const event = { id: eventId(e as DomainEvent), timestamp: e.EventTimeStamp };
  if (unqueryable === undefined && invalid === undefined) return event;
  return { ...event, ...(unqueryable !== undefined && { unqueryable }), ...(invalid && { invalid }) };
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
 * What an entry's location holds: a finding, and, for the entry's own event, why input checks would refuse it today
 * and why replay's validation would.
 */
export interface EntryCheck {
  readonly finding?: { readonly kind: LogIndexFindingKind; readonly why: string };
  readonly unqueryable?: string;
  readonly invalid?: SchemaFinding;
}

const HELD: EntryCheck = {};

/**
 * Whether the entry's location holds its event: no finding when it does, else the finding and why. The bytes must be
 * one whole event (not a line's part or two lines), of the entry's identity, at the entry's EventTimeStamp. An event of
 * the entry's identity is judged against today's input checks here, once: the log walk skips lines entries named.
 */
export function entryFinding(entry: IndexEntry, object: ObjectLines, validator?: StoredEventValidator): EntryCheck {
  const line = namedLine(entry, object);
  if (!line) {
    const lines = object.lines.length;
    return { finding: { kind: 'wrongLocation', why: entry.location.offset === undefined ? `the object holds ${lines} lines, not one event` : 'no whole line starts there with that length' } };
  }
  const event = lineEvent(line.text, validator);
  if (!event) return { finding: { kind: 'wrongLocation', why: 'the bytes there are not one whole event' } };
  if (event.id !== entry.id) return { finding: { kind: 'wrongLocation', why: `the bytes there are event ${event.id}` } };
  const { unqueryable, invalid } = event;
  if (event.timestamp !== entry.timestamp) return { finding: { kind: 'timeMismatch', why: `the event's EventTimeStamp is ${event.timestamp}, the entry's ${entry.timestamp}` }, unqueryable, invalid };
  if (unqueryable === undefined && invalid === undefined) return HELD;
  return { ...(unqueryable !== undefined && { unqueryable }), ...(invalid && { invalid }) };
}
