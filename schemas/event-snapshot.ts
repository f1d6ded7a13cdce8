// A plain-data copy of an event given to validate(), so that what is validated is what is stored: a caller's object
// may change after emit() returns its promise (mutated while the append awaits, a Proxy or a getter answering
// otherwise on a later read), and the log would then hold an event no schema accepted.

/** Nesting copied; deeper values are kept as given. Why a bound: a cyclic object from a JS caller would recurse forever. */
const MAX_DEPTH = 64;

/**
 * `value` as plain data, each field read once: arrays as arrays, any other object (a Proxy, a class instance, a Date)
 * as a plain object of its own enumerable string keys, which is what serializeEvent stores of it. An own `__proto__`
 * key stays an own field (so a closed schema refuses it by name) instead of becoming the copy's prototype.
 */
export function plainSnapshot(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < out.length; i++) out[i] = plainSnapshot(value[i], depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = plainSnapshot((value as Record<string, unknown>)[key], depth + 1);
    if (key === '__proto__') Object.defineProperty(out, key, { value: field, enumerable: true, writable: true, configurable: true });
    else out[key] = field;
  }
  return out;
}
