// x-eventlake-accounts is an annotation: a schema with it validates exactly as without it, its fast precheck still
// never accepts what ajv rejects, and ajv's strict mode still refuses every other unknown keyword.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compilePrecheck } from '../../schemas/prevalidate.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { withEventlakeKeywords } from '../../schemas/schema-compiler.ts';
import { ACCOUNT_FIELDS_SCHEMAS, accountFieldsRegistry, cardPayment, feeCharged } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;

/** A value near `value` (itself, a small change of it) or anything at all. */
function near(value: unknown): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.jsonValue());
  const alike = typeof value === 'string'
    ? fc.oneof(fc.constant(''), fc.constant(value.toLowerCase()), fc.constant(`${value}x`), fc.constant(value.slice(1)), fc.stringMatching(/^[A-Z0-9-]{3,35}$/))
    : anything;
  return fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 2, arbitrary: alike }, { weight: 1, arbitrary: anything });
}

/** `sample` with up to three fields changed, removed or added. */
function mutations(sample: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...Object.keys(sample), 'WaivedFor', 'CardAccount', 'SourceAccount'];
  return fc.array(fc.constantFrom(...keys).chain((k) => fc.tuple(fc.constant(k), near(sample[k]))), { maxLength: 3 }).map((changes) => {
    const out: Record<string, unknown> = { ...sample };
    for (const [k, v] of changes) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  });
}

const test = suite('x-eventlake-accounts and the fast precheck');

test('for mutated card payments and fees, the precheck never accepts what ajv rejects, and takes the valid ones', () => {
  const registry = accountFieldsRegistry();
  let [accepted, rejected] = [0, 0];
  for (const sample of [cardPayment(1, T0, 'CARD-0001'), feeCharged(2, T0, 'ACC-000001', 'CARD-0001')]) {
    const entry = registry.entry(sample.EventType, 1);
    assert.ok(entry.precheck?.(sample), `${sample.EventType}: the valid sample takes the fast path`);
    fc.assert(fc.property(mutations(sample), (event) => {
      const ajv = entry.validate(event);
      if (entry.precheck!(event)) assert.ok(ajv, `precheck accepted what ajv rejects: ${JSON.stringify(event)}`);
      if (ajv) accepted++;
      else rejected++;
    }), { numRuns: 400 });
  }
  assert.ok(accepted > 50 && rejected > 50, `both outcomes exercised (${accepted} accepted, ${rejected} rejected)`);
});

test('the keyword at the top or inside a property changes neither ajv\'s answer nor the precheck\'s', () => {
  const plain = { type: 'object', properties: { a: { type: 'string', minLength: 2 }, n: { type: 'integer', maximum: 3 } }, required: ['a'], additionalProperties: false };
  const annotated = { ...plain, 'x-eventlake-accounts': ['a'], properties: { ...plain.properties, a: { ...plain.properties.a, 'x-eventlake-accounts': ['a'] } } };
  const ajv = withEventlakeKeywords(new Ajv2020({ allErrors: true, strict: true, strictRequired: false }));
  const [validatePlain, validateAnnotated] = [ajv.compile(plain), ajv.compile(annotated)];
  const precheck = compilePrecheck(annotated, () => undefined);
  assert.ok(precheck, 'the annotated schema gets a precheck');
  const value = fc.oneof(fc.constant(undefined), fc.constantFrom('a', 'ab', 1, 3, 4, 2.5, null), fc.string({ maxLength: 3 }), fc.integer({ min: -1, max: 5 }));
  fc.assert(fc.property(fc.record({ a: value, n: value, b: fc.constantFrom(undefined, 1) }), (record) => {
    const data = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
    const expected = validatePlain(data);
    assert.is(validateAnnotated(data), expected, JSON.stringify(data));
    assert.is(precheck(data), expected, JSON.stringify(data));
  }), { numRuns: 1000 });
});

test('any other unknown keyword is still refused at load (ajv strict mode), at the top or inside a property', () => {
  for (const place of ['top', 'property'] as const) {
    const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Record<string, unknown>;
    const target = place === 'top' ? schema : (schema['properties'] as Record<string, Record<string, unknown>>)['CardAccount']!;
    target['x-eventlake-account'] = ['CardAccount'];
    const dir = tempDir();
    writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(schema));
    assert.throws(() => SchemaRegistry.load({ folders: [dir] }), /strict mode: unknown keyword: "x-eventlake-account"/, place);
  }
});

test.run();
