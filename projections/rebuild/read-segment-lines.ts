// The lines of one multi-event object an EventReader holds: the event at an indexed line, else a scan by identity.

import { EventNotFoundError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';

/**
 * One multi-event object (segment or batch object), read whole: as one string when it is ASCII (the usual case; byte
 * offsets are then string offsets, and a line is a cheap slice), else as bytes.
 */
export interface Segment {
  readonly key: string;
  readonly text: string | undefined;
  readonly bytes: Buffer | undefined;
  readonly size: number;
  /** Events by identity, built only if an indexed offset does not hold its event (never, for a consistent index). */
  byId?: Map<string, DomainEvent>;
}

/** What a kept object costs: its bytes, or about 1 KiB per parsed event. */
export const weightOf = (segment: Segment): number => segment.size || (segment.byId?.size ?? 0) * 1024;

/** Whether `event` is the one `id` names, without building the identity string. */
function hasId(event: unknown, id: string): event is DomainEvent {
  if (event === null || typeof event !== 'object') return false;
  const { EventType: type, RequestId: rid } = event as Record<string, unknown>;
  return typeof type === 'string' && typeof rid === 'string' && id.length === type.length + 1 + rid.length
    && id.startsWith(type) && id.charCodeAt(type.length) === 95 /* _ */ && id.endsWith(rid);
}

/**
 * The event `id` names, parsed from its indexed line, or undefined when that line does not hold it. Each call parses
 * anew, so the event is the caller's alone (the reader hands it to the upcast as owned).
 */
export function parseLine(segment: Segment, id: string, offset: number, length: number | undefined): DomainEvent | undefined {
  const end = offset + (length ?? 0);
  if (length === undefined || length <= 0 || end > segment.size) return undefined;
  const line = segment.text !== undefined ? segment.text.slice(offset, end) : segment.bytes!.toString('utf8', offset, end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  return hasId(parsed, id) ? parsed : undefined;
}

/** The event `id` names, from a parse of the whole segment kept on it (shared by later calls); else EventNotFoundError. */
export function scannedEvent(segment: Segment, id: string): DomainEvent {
  segment.byId ??= scan(segment);
  const event = segment.byId.get(id);
  if (!event) throw new EventNotFoundError(`${id} in ${segment.key}`);
  return event;
}

function scan(segment: Segment): Map<string, DomainEvent> {
  const byId = new Map<string, DomainEvent>();
  const { text, bytes, size } = segment;
  for (let start = 0; start < size;) {
    let nl = text !== undefined ? text.indexOf('\n', start) : bytes!.indexOf(10, start);
    if (nl < 0) nl = size;
    try {
      const event = JSON.parse(text !== undefined ? text.slice(start, nl) : bytes!.toString('utf8', start, nl)) as unknown;
      if (event !== null && typeof event === 'object' && !Array.isArray(event)) byId.set(eventId(event as DomainEvent), event as DomainEvent);
    } catch {
      // A torn line holds no event: an entry pointing at it is reported as not found.
    }
    start = nl + 1;
  }
  return byId;
}
