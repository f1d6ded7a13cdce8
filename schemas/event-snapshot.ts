// A plain-data copy of an event given to validate(), so that what is validated is what is stored: a caller's object
// may change after emit() returns its promise (mutated while the append awaits, a Proxy or a getter answering
// otherwise on a later read), and the log would then hold an event no schema accepted.

import { MAX_EVENT_BYTES } from './schema-entry.ts';

/**
 * Nesting copied without looking for cycles; deeper, each value is checked against the objects above it. Why: a
 * cyclic object from a JS caller would recurse forever, and no event nests this deep, so the check costs nothing.
 */
const CHECKED_DEPTH = 64;

/**
 * Nesting beyond which a value is kept as given, not copied: validation refuses anything deeper than
 * MAX_EVENT_DEPTH (64) anyway, and copying 10,000 levels of `{"a":{"a":…}}` overflowed the stack (a RangeError, a 500
 * from POST /events) before validation could say why.
 */
const COPIED_DEPTH = 1_000;

/**
 * Elements or keys beyond which an array or object is kept as given: each takes at least 2 bytes of JSON, so such
 * an event can never be stored (EventTooLargeError), and copying it (a Buffer of megabytes as one key a byte, a
 * sparse array of length 2^32 - 1) cost seconds or the process's memory before validation refused it.
 */
const MAX_ITEMS = MAX_EVENT_BYTES;

/**
 * `value` as plain data, each field read once: arrays as arrays, any other object (a Proxy, a class instance, a Date)
 * as a plain object of its own enumerable string keys, which is what serializeEvent stores of it. An own `__proto__`
 * key stays an own field (so a closed schema refuses it by name) instead of becoming the copy's prototype. A cycle,
 * nesting past COPIED_DEPTH, and an array or object too large for any event, are kept as given: validation refuses them.
 */
export function plainSnapshot(value: unknown, depth = 0, above?: Set<object>): unknown {
  if (value === null || typeof value !== 'object' || depth >= COPIED_DEPTH) return value;
  if (depth < CHECKED_DEPTH) return copy(value, depth, above);
  above ??= new Set();
  if (above.has(value)) return value;
  above.add(value);
  try {
    return copy(value, depth, above);
  } finally {
    above.delete(value);
  }
}

function copy(value: object, depth: number, above: Set<object> | undefined): unknown {
  if (ArrayBuffer.isView(value) && itemCount(value) > MAX_ITEMS) return value;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return value;
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < out.length; i++) out[i] = plainSnapshot(value[i], depth + 1, above);
    return out;
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_ITEMS) return value;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const field = plainSnapshot((value as Record<string, unknown>)[key], depth + 1, above);
    if (key === '__proto__') Object.defineProperty(out, key, { value: field, enumerable: true, writable: true, configurable: true });
    else out[key] = field;
  }
  return out;
}

/** Elements of a typed array (each its own key), read before Object.keys would list them all. */
const itemCount = (view: ArrayBufferView): number => ('length' in view && typeof view.length === 'number' ? view.length : 0);
