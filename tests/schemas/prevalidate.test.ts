import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { generateEvents } from '../../domain/generator.ts';
import { compilePrecheck } from '../../schemas/prevalidate.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { SchemaCompiler } from '../../schemas/schema-compiler.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const test = suite('precheck (the fast "ajv accepts" answer)');
const registry = SchemaRegistry.load({ folders: ['examples/outgoing-payment/schemas'] });

/** A value that is often close to valid: the sample's own value, a neighbour of it, or anything at all. */
function near(value: unknown): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.jsonValue());
  const alike = typeof value === 'string'
    ? fc.oneof(fc.constant(value.slice(1)), fc.constant(`${value}x`), fc.constant(value.toLowerCase()), fc.constant(`${value}\u{1F600}`), fc.constant(` ${value}`), fc.string({ unit: 'grapheme', maxLength: 150 }), fc.stringMatching(/^[A-Z0-9-]{3,35}$/), fc.stringMatching(/^-?\d{1,16}\.\d{1,3}$/))
    : typeof value === 'number'
      ? fc.oneof(fc.constant(value + 0.5), fc.constant(-value), fc.constant(Number.NaN), fc.constant(Infinity), fc.integer({ min: -2, max: 5_000_000_000 }), fc.constant(String(value)))
      : value !== null && typeof value === 'object'
        ? fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(value), '5-dollars', '01-cents', '10000-cents', '__proto__'), fc.string()), fc.oneof(fc.integer({ min: -1, max: 1_000_001 }), fc.double(), fc.string()), { maxKeys: 40 })
        : anything;
  return fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 2, arbitrary: alike }, { weight: 1, arbitrary: anything });
}

/** The sample with up to three fields changed, removed (undefined) or added. */
const mutations = (sample: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> => {
  const keys = [...Object.keys(sample), 'Extra', 'Channel'];
  const changes = fc.array(fc.constantFrom(...keys).chain((k) => fc.tuple(fc.constant(k), near(sample[k]), fc.boolean())), { maxLength: 3 });
  return changes.map((list) => {
    const out: Record<string, unknown> = { ...sample };
    for (const [k, v, drop] of list) {
      if (v === undefined && drop) delete out[k];
      else out[k] = v;
    }
    return out;
  });
};

test('every built-in and example schema compiles to a precheck', () => {
  for (const { type, versions } of registry.types()) for (const v of versions) assert.ok(registry.entry(type, v).precheck, `${type} v${v}`);
});

test('generated bank events all take the fast path', () => {
  for (const e of generateEvents({ accounts: 20, days: 2, eventsPerDay: 300, start: 1_700_000_000 })) {
    assert.ok(registry.entry(e.EventType, e.SchemaVersion).precheck!(e), JSON.stringify(e));
  }
});

test('the precheck never accepts what ajv rejects, for mutated events of every type and version', () => {
  let [accepted, rejected] = [0, 0];
  for (const { type, versions } of registry.types()) {
    for (const version of versions) {
      const entry = registry.entry(type, version);
      const sample = { ...(SAMPLES[type] ?? generateEvents({ accounts: 2, days: 1, eventsPerDay: 50, start: 1_700_000_000 }).find((e) => e.EventType === type) ?? { EventType: type }), SchemaVersion: version } as Record<string, unknown>;
      if (type === 'cash_withdrawal' && version === 2) sample['Channel'] = 'ATM';
      fc.assert(fc.property(mutations(sample), (event) => {
        const fast = entry.precheck!(event);
        const ajv = entry.validate(event);
        if (fast) assert.ok(ajv, `precheck accepted what ajv rejects: ${JSON.stringify(event)} ${JSON.stringify(entry.validate.errors)}`);
        if (ajv) accepted++;
        else rejected++;
      }), { numRuns: 200 });
    }
  }
  assert.ok(accepted > 100 && rejected > 100, `both outcomes exercised (${accepted} accepted, ${rejected} rejected)`);
});

/** A schema using every keyword the precheck compiles, plus `extra` properties. */
function keywordSchema(extra: Record<string, unknown>) {
  return {
    type: 'object',
    properties: {
      s: { type: 'string', minLength: 2, maxLength: 3, pattern: '^[a-zé\u{1F600}]+$' },
      n: { type: ['number', 'null'], exclusiveMinimum: -1, exclusiveMaximum: 10 },
      i: { type: 'integer', minimum: 0, maximum: 5 },
      e: { enum: ['a', 1, null, true] },
      c: { const: 'x' },
      d: { type: 'string', format: 'date' },
      none: false,
      o: { type: 'object', properties: { k: { type: 'boolean' } }, required: ['k'], propertyNames: { pattern: '^[a-z]$' }, additionalProperties: { type: 'integer' }, minProperties: 1, maxProperties: 3 },
      ...extra,
    },
    required: ['s'],
    additionalProperties: false,
  };
}

test('for every supported keyword, the precheck accepts only what ajv accepts', () => {
  const schema = keywordSchema({ any: true });
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false }));
  const validate = ajv.compile(schema);
  const precheck = compilePrecheck(schema, (name) => { const f = ajv.formats[name]; return f && typeof f === 'object' && 'validate' in f && typeof f.validate === 'function' ? (t) => (f.validate as (s: string) => boolean)(t) : undefined; })!;
  assert.ok(precheck);
  const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 12 }), fc.double({ min: -2, max: 11 }), fc.constantFrom('a', 'x', 1, '2024-02-29', '2023-02-29', 'ab', 'é\u{1F600}', '\u{1F600}', '\u{1F600}\u{1F600}\u{1F600}\u{1F600}'), fc.string({ maxLength: 5 }),
    fc.dictionary(fc.constantFrom('k', 'a', 'b', 'Z', '1'), fc.oneof(fc.boolean(), fc.integer(), fc.double()), { maxKeys: 4 }));
  const good: Record<string, unknown[]> = {
    s: ['ab', 'abc', 'é\u{1F600}', '\u{1F600}\u{1F600}\u{1F600}'], n: [0, 9.5, null, -0.5], i: [0, 5], e: ['a', 1, null, true], c: ['x'], d: ['2024-02-29'],
    any: [{}, 'x'], o: [{ k: true }, { k: false, a: 1, b: -2 }], none: [], extra: [],
  };
  const field = (k: string) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, ...good[k]!) }, { weight: 1, arbitrary: value });
  let [accepted, rejected] = [0, 0];
  fc.assert(fc.property(fc.record(Object.fromEntries(Object.keys(good).map((k) => [k, field(k)]))), (record) => {
    const data = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
    const ok = validate(data);
    if (precheck(data)) assert.ok(ok, JSON.stringify(data));
    if (ok) accepted++;
    else rejected++;
  }), { numRuns: 1500 });
  assert.ok(accepted > 10 && rejected > 10, `both outcomes exercised (${accepted} accepted, ${rejected} rejected)`);
});

test('at every keyword boundary, one field off a valid value, the precheck agrees with ajv or defers to it', () => {
  const schema = keywordSchema({ u: { type: 'string', format: 'uuid' } });
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false }));
  const validate = ajv.compile(schema);
  const precheck = compilePrecheck(schema, new SchemaCompiler().formatLookup)!;
  const base = { s: 'ab', n: 0, i: 0, e: 'a', c: 'x', d: '2024-02-29', u: SAMPLES['cash_deposit']!.RequestId, o: { k: true } };
  assert.ok(precheck(base) && validate(base));
  const edges: unknown[] = [
    undefined, null, true, 0, -0, -1, -1.5, -0.5, 0.5, 1, 5, 5.5, 6, 9.999, 10, 10.5, NaN, Infinity, -Infinity, '', 'a', 'ab', 'abc', 'abcd', 'A', 'x', 'é',
    '\u{1F600}', '\u{1F600}\u{1F600}', '\u{1F600}\u{1F600}\u{1F600}', '\u{1F600}\u{1F600}\u{1F600}\u{1F600}', '\ud83d', 'a\ud83d', '2024-02-30', '2023-02-29', '2024-2-29',
    SAMPLES['cash_deposit']!.RequestId.toUpperCase(), `urn:uuid:${SAMPLES['cash_deposit']!.RequestId}`, '00000000-0000-0000-0000-000000000000', `${SAMPLES['cash_deposit']!.RequestId}0`,
    [], ['ab'], {}, { k: true }, { k: false, a: 1, b: 2 }, { k: true, a: 1, b: 2, c: 3 }, { k: 1 }, { a: 1 }, { k: true, A: 1 }, { k: true, a: 1.5 }, { k: true, ab: 1 }, { k: undefined, a: 1 },
    Object.create({ k: true }), Object.assign(Object.create({ z: 1 }), { k: true }),
  ];
  let [accepted, rejected] = [0, 0];
  for (const field of [...Object.keys(base), 'none', 'extra']) {
    for (const edge of edges) {
      const data = { ...base, [field]: edge };
      const ok = validate(data);
      if (precheck(data)) assert.ok(ok, `${field}: ${String(edge)}`);
      if (ok) accepted++;
      else rejected++;
    }
  }
  const inherited = Object.assign(Object.create({ extra: 1 }), base);
  assert.is(validate(inherited), false);
  assert.is(precheck(inherited), false);
  assert.ok(accepted > 30 && rejected > 30, `both outcomes exercised (${accepted} accepted, ${rejected} rejected)`);
});

test('a schema with a keyword outside the subset gets no precheck, and ajv alone decides', () => {
  const format = () => undefined;
  assert.is(compilePrecheck({ type: 'object', properties: { a: { anyOf: [{ type: 'string' }] } } }, format), undefined);
  assert.is(compilePrecheck({ type: 'object', properties: { a: { const: { x: 1 } } } }, format), undefined);
  assert.is(compilePrecheck({ type: 'array', items: { type: 'string' } }, format), undefined);
  assert.is(compilePrecheck({ type: 'string', format: 'uuid' }, format), undefined);
  const dir = tempDir();
  writeFileSync(join(dir, 'any_of.v1.json'), JSON.stringify({
    type: 'object', required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'], additionalProperties: false,
    properties: { EventType: { const: 'any_of' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, V: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
  }));
  const reg = SchemaRegistry.load({ withoutBuiltins: true, folders: [dir] });
  assert.is(reg.entry('any_of').precheck, undefined);
  const event = { EventType: 'any_of', SchemaVersion: 1, RequestId: SAMPLES['cash_deposit']!.RequestId, EventTimeStamp: 1, V: 3 };
  assert.equal(reg.validate(event), event);
  assert.throws(() => reg.validate({ ...event, V: true }), (e: unknown) => (e as { issues: { pointer: string }[] }).issues[0]!.pointer === '/V');
});

test('the built-in schema files are all covered by the subset', () => {
  for (const f of readdirSync(BUILTIN_SCHEMAS_DIR)) {
    const schema = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, f), 'utf8')) as Record<string, unknown>;
    assert.ok(compilePrecheck({ ...schema, $id: undefined }, () => () => true), f);
  }
});

test.run();
