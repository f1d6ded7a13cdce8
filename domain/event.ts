// The event envelope: identity, object key layout (the same on S3 and on disk) and canonical bytes.

/** Fields every event carries, whatever its type. */
export interface EventEnvelope {
  /** snake_case type, e.g. `cash_deposit`; also the prefix of the object key. */
  readonly EventType: string;
  /** Version of the type's schema this event was written against. */
  readonly SchemaVersion: number;
  /** UUID of the request that produced the event; generated on emit when absent. */
  readonly RequestId: string;
  /** When the fact happened, in epoch seconds (UTC). */
  readonly EventTimeStamp: number;
}

/** Any stored event: the envelope plus the type's own flat fields. */
export type DomainEvent = EventEnvelope & { readonly [field: string]: unknown };

/** Plain JSON values, for memos and projection rows. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Root folder of event objects in the log (an S3 prefix, or a folder under the data directory). */
export const EVENTS_PREFIX = 'events/';
/** Suffix of a one-event object. */
export const EVENT_OBJECT_SUFFIX = '.event';
/** Suffix of a compacted segment (NDJSON, one event per line). */
export const SEGMENT_OBJECT_SUFFIX = '.ndjson';

/** Identity of an event: `<EventType>_<RequestId>`, unique in the log. */
export function eventId(event: Pick<EventEnvelope, 'EventType' | 'RequestId'>): string {
  return `${event.EventType}_${event.RequestId}`;
}

/** Hive-style partition folder of an epoch-seconds timestamp: `events/year=2024/month=03/day=07/hour=09/`. */
export function partitionPrefix(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${EVENTS_PREFIX}year=${d.getUTCFullYear()}/month=${p(d.getUTCMonth() + 1)}/day=${p(d.getUTCDate())}/hour=${p(d.getUTCHours())}/`;
}

/** Object key of a one-event object: `events/year=…/hour=HH/<EventType>_<RequestId>.event`. */
export function eventKey(event: Pick<EventEnvelope, 'EventType' | 'RequestId' | 'EventTimeStamp'>): string {
  return `${partitionPrefix(event.EventTimeStamp)}${eventId(event)}${EVENT_OBJECT_SUFFIX}`;
}

/** Key of the compacted segment of an hour partition. */
export function segmentKey(hourPrefix: string): string {
  return `${hourPrefix}segment${SEGMENT_OBJECT_SUFFIX}`;
}

/** Start (epoch seconds) of the UTC hour that contains `epochSeconds`. */
export function hourStart(epochSeconds: number): number {
  return epochSeconds - (((epochSeconds % 3600) + 3600) % 3600);
}

/** Sorts keys in place by UTF-16 code units, as `Array.prototype.sort()` does: insertion sort, fastest for a few keys. */
function sortKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * `value` with every object's keys in sorted order, for JSON.stringify. Why the fast path: a stored event is already
 * canonical (plain objects, keys sorted), so it is returned as is instead of copied; JSON.stringify of it gives the
 * same bytes as of a sorted copy. Anything else is copied with its keys sorted, exactly as before: a non-plain object
 * (a Date, a class) as its own enumerable keys, and an own `__proto__` key dropped by the assignment.
 */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(canonical);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const proto = Object.getPrototypeOf(record) as unknown;
  let sorted = proto === Object.prototype || proto === null;
  for (let i = 1; sorted && i < keys.length; i++) if (keys[i - 1]! >= keys[i]!) sorted = false;
  if (sorted && !keys.includes('__proto__')) {
    let same = true;
    for (const k of keys) {
      const v = record[k];
      if (v !== null && typeof v === 'object' && canonical(v) !== v) same = false;
    }
    if (same) return record;
  }
  const order = sorted ? keys : keys.length > 64 ? keys.sort() : sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (const k of order) out[k] = canonical(record[k]);
  return out;
}

/** Characters JSON.stringify escapes (a surrogate only when lone, but any sends the string to JSON.stringify). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** `"key":` of each key met, so a key is checked and quoted once; bounded, since keys come from callers. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;
const ALL_DIGITS = /^[0-9]+$/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * JSON text of a plain value with sorted keys, written directly, or undefined for anything whose bytes depend on
 * JSON.stringify's special cases (undefined, functions, symbols, bigints, holes, non-plain objects, an own `toJSON`
 * or `__proto__` key, integer-like keys that a sorted copy would re-order): those take the sorted-copy path.
 */
function writeValue(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const text = typeof v === 'string' ? quote(v) : typeof v === 'number' ? (Number.isFinite(v) ? `${v}` : 'null') : typeof v === 'boolean' ? (v ? 'true' : 'false') : writeValue(v);
      if (text === undefined) return undefined;
      out += i === 0 ? text : `,${text}`;
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) return '{}';
  sortKeys(keys);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let quoted = QUOTED_KEYS.get(key);
    if (quoted === undefined) {
      if (key === '__proto__' || key === 'toJSON' || ALL_DIGITS.test(key)) return undefined;
      quoted = `${JSON.stringify(key)}:`;
      if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
    }
    const v = record[key];
    const text = typeof v === 'string' ? quote(v) : typeof v === 'number' ? (Number.isFinite(v) ? `${v}` : 'null') : typeof v === 'boolean' ? (v ? 'true' : 'false') : writeValue(v);
    if (text === undefined) return undefined;
    out = i === 0 ? `{${quoted}${text}` : `${out},${quoted}${text}`;
  }
  return `${out}}`;
}

/**
 * Canonical JSON of an event (keys sorted, no whitespace, no trailing newline).
 * Two emits of the same fact produce the same bytes, which is how the log tells a duplicate from a conflict.
 * Why written by hand: a sorted copy for JSON.stringify cost ≈ 1.3 µs per bank event on top of JSON.stringify;
 * writing the text directly skips the copy. Anything unusual goes through the sorted copy, the reference form.
 */
export function serializeEvent(event: DomainEvent): string {
  return writeValue(event) ?? JSON.stringify(canonical(event));
}

/** The account fields of a type whose schema declares none: the built-in types' names for the two sides. */
export const DEFAULT_ACCOUNT_FIELDS: readonly string[] = ['SourceAccount', 'TargetAccount'];

/**
 * The longest account the index keys, in UTF-8 bytes: DynamoDB's limit for a GSI partition key (byAccount0/1).
 * Both indexes keep to it, so that they find the same events.
 */
export const MAX_ACCOUNT_BYTES = 2048;

/** Whether `v` fits MAX_ACCOUNT_BYTES; why the length first: every real account passes it without encoding. */
export const keyable = (v: string): boolean => v.length * 3 <= MAX_ACCOUNT_BYTES || new TextEncoder().encode(v).length <= MAX_ACCOUNT_BYTES;

/**
 * Accounts an event touches, for the index's per-account lookups: the string values of `fields` (its schema's
 * declared account fields, `SchemaRegistry.accountFields`), each once. A field the event lacks is skipped, and so
 * is one no index can key: '' (no lookup names it; the SQL reads a missing account as '') and one over
 * MAX_ACCOUNT_BYTES. Why: a user type's schema may allow either, and DynamoDB refuses both as a GSI key, which
 * failed the indexer's put of the whole object on every retry.
 */
export function accountsOf(event: DomainEvent, fields: readonly string[] = DEFAULT_ACCOUNT_FIELDS): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const v = event[f];
    if (typeof v === 'string' && v !== '' && !out.includes(v) && keyable(v)) out.push(v);
  }
  return out;
}

/** Deterministic replay order: `EventTimeStamp`, then identity. */
export function compareEvents(a: { timestamp: number; id: string }, b: { timestamp: number; id: string }): number {
  return a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
