// A cheap upper bound of an event's serialized size, so that validation serializes only the events near the limit.

import { EventTooLargeError } from '../domain/errors.ts';
import { serializeEvent, type DomainEvent } from '../domain/event.ts';
import { MAX_EVENT_BYTES } from './schema-entry.ts';

/** Longest JSON text of a number: 17 digits after `-0.00000`, as in `-0.0000012345678901234567` (25 characters). */
export const MAX_NUMBER_CHARS = 25;
/** Nesting (the event being 0) below which the bound answers Infinity: measured exactly, by serializing. */
export const MAX_BOUND_DEPTH = 32;

/**
 * An upper bound of the UTF-8 size of serializeEvent(value), or Infinity when the value is not plain JSON data
 * (undefined, a function, a bigint, a class instance, too deep): those are measured exactly, by serializing.
 * A UTF-16 unit takes at most 6 bytes in JSON (a `\uXXXX` escape), which bounds every string and key.
 */
export function serializedSizeBound(value: unknown, depth: number): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value === 'number') return MAX_NUMBER_CHARS;
  if (typeof value === 'boolean') return 5;
  if (value === null) return 4;
  if (typeof value !== 'object' || depth > MAX_BOUND_DEPTH) return Infinity;
  const proto = Object.getPrototypeOf(value) as unknown;
  let size = 2;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return Infinity;
    for (let i = 0; i < value.length; i++) size += serializedSizeBound(value[i], depth + 1) + 1;
    return size;
  }
  if (proto !== Object.prototype && proto !== null) return Infinity;
  const record = value as Record<string, unknown>;
  // for…in also yields inherited enumerable keys, which only raises the bound; it saves Object.keys' array.
  for (const key in record) {
    const v = record[key];
    size += 6 * key.length + 4 + (typeof v === 'string' ? 6 * v.length + 2 : typeof v === 'number' ? MAX_NUMBER_CHARS : serializedSizeBound(v, depth + 1));
  }
  return size;
}

/**
 * Throw `EventTooLargeError` (naming the event `id()`) when `event` serializes to more than MAX_EVENT_BYTES. Why the
 * bound first: serializing costs more than the rest of validation, so only an event that could be near the limit is
 * serialized to be measured exactly. `bound`: serializedSizeBound(event, 0), when the caller has it already.
 */
export function assertEventSize(event: unknown, id: () => string, bound = serializedSizeBound(event, 0)): void {
  if (bound <= MAX_EVENT_BYTES) return;
  const size = Buffer.byteLength(serializeEvent(event as DomainEvent));
  if (size > MAX_EVENT_BYTES) throw new EventTooLargeError(id(), size, MAX_EVENT_BYTES);
}
