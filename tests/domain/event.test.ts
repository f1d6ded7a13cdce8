import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { DomainEvent } from '../../domain/event.ts';
import { serializeEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { SAMPLES } from '../support/samples.ts';

/** The original canonical form (a sorted copy of every object), the reference the fast path must match byte for byte. */
function reference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reference);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = reference((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
const referenceBytes = (value: unknown): string => JSON.stringify(reference(value));
const asEvent = (value: unknown): DomainEvent => value as DomainEvent;

const test = suite('serializeEvent');

test('generated events serialize to the bytes of the sorted-copy canonical form, as built and as read back', () => {
  const events = generateEvents({ accounts: 50, days: 2, eventsPerDay: 500, start: 1_700_000_000 });
  for (const e of events) {
    const bytes = serializeEvent(e);
    assert.is(bytes, referenceBytes(e));
    assert.is(serializeEvent(asEvent(JSON.parse(bytes))), bytes);
  }
});

test('the samples serialize to the sorted-copy canonical form', () => {
  for (const e of Object.values(SAMPLES)) assert.is(serializeEvent(e), referenceBytes(e));
});

test('any JSON value, nested at any depth, serializes to the sorted-copy canonical form', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const event = asEvent({ EventType: 'x', Nested: value, Items: [value, { b: value, a: 1 }] });
    assert.is(serializeEvent(event), referenceBytes(event));
    assert.is(serializeEvent(asEvent(JSON.parse(referenceBytes(event)))), referenceBytes(event));
  }), { numRuns: 300 });
});

test('objects with arbitrary keys in any order serialize to the sorted-copy canonical form', () => {
  const keys = fc.oneof(fc.string(), fc.constantFrom('__proto__', '0', '1', '10', '9', 'a', 'B', 'é', '-1', '01'));
  fc.assert(fc.property(fc.dictionary(keys, fc.oneof(fc.integer(), fc.dictionary(keys, fc.string()))), (value) => {
    assert.is(serializeEvent(asEvent(value)), referenceBytes(value));
  }), { numRuns: 300 });
});

test('an own __proto__ key, integer-like keys, undefined values and non-plain objects keep their old bytes', () => {
  const odd = [
    JSON.parse('{"__proto__":{"x":1},"a":1}'), JSON.parse('{"a":{"__proto__":2}}'), { b: 1, 10: 'x', 9: 'y', a: undefined },
    { when: new Date(0), a: [1, undefined, { z: 1, y: new Map([[1, 2]]) }] }, Object.assign(Object.create(null), { b: 1, a: { d: 1, c: 2 } }),
  ];
  for (const value of odd) assert.is(serializeEvent(asEvent(value)), referenceBytes(value));
});

/** The same bytes as the reference, or the same error class when the reference throws (a bigint, a cycle). */
function sameAsReference(value: unknown): void {
  let expected: string | undefined;
  let thrown: unknown;
  try {
    expected = referenceBytes(value);
  } catch (e) {
    thrown = e;
  }
  if (thrown !== undefined) assert.throws(() => serializeEvent(asEvent(value)), (e: unknown) => (e as Error).constructor === (thrown as Error).constructor);
  else assert.is(serializeEvent(asEvent(value)), expected);
}

test('any value fast-check can build (boxed values, null prototypes, Maps, sparse arrays, -0, NaN) matches the reference', () => {
  const anything = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withDate: true, withTypedArray: true, withBigInt: true, withUnicodeString: true, maxDepth: 4 });
  fc.assert(fc.property(anything, (value) => {
    sameAsReference(value);
    sameAsReference({ EventType: 'x', Value: value, List: [value, 1] });
  }), { numRuns: 2000 });
});

test('strings and keys with quotes, backslashes, control characters and lone or paired surrogates match the reference', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '\ud83d\ude00', 'a', 'é', '0', '9'), maxLength: 8 }));
  const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 1e21, 5e-324, -0.0000012345678901234567, Number.MAX_SAFE_INTEGER + 2));
  fc.assert(fc.property(fc.dictionary(text, fc.oneof(text, num, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(text, num, { maxKeys: 4 }))), (value) => {
    sameAsReference(value);
  }), { numRuns: 2000 });
});

test('own toJSON keys, getters, array holes and extra array properties match the reference', () => {
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const tagged = Object.assign([1, 2], { extra: 'x' });
  const odd = [
    { b: 1, toJSON: () => 'replaced' }, { a: { toJSON: () => ({ z: 1, y: 2 }) } }, { b: 1, toJSON: 'not a function' },
    Object.defineProperty({ b: 2 }, 'a', { get: () => 'got', enumerable: true }), { holes, tagged }, { f: () => 1, s: Symbol('x'), u: undefined, n: NaN, i: -Infinity },
    { '4294967295': 1, '4294967294': 2, '1': 3, '01': 4, 'a': 5 },
  ];
  for (const value of odd) sameAsReference(value);
});

test('the key cache does not change the bytes after many distinct keys', () => {
  for (let i = 0; i < 12_000; i++) sameAsReference({ [`k${i}`]: i, [`k${i}"\\`]: 'v', a: 1 });
});

test('a bigint anywhere still throws as before', () => {
  assert.throws(() => serializeEvent(asEvent({ a: { b: 1n } })), TypeError);
});

test.run();
