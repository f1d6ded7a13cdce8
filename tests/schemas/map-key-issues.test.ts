// A map key a schema's propertyNames refuses is named with what the map accepts, in the schema's own words: the
// built-in denominations, and a user schema's map, which was told "is not a known denomination".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import { variant } from '../support/samples.ts';

const test = suite('map key issues');

function issueOf(registry: SchemaRegistry, input: unknown) {
  try {
    registry.validate(input);
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    return (error as SchemaValidationError).issues;
  }
  throw new Error('accepted');
}

test('a denomination key out of the pattern is refused with the denomination rule, not as an unknown denomination', () => {
  const [issue, ...rest] = issueOf(SchemaRegistry.load(), variant('cash_withdrawal', { Currency: { '99999-euro-bills': 1 } }));
  assert.is(rest.length, 0);
  assert.is(issue!.pointer, '/Currency/99999-euro-bills');
  assert.is(issue!.reason, 'is not a key this field accepts');
  assert.ok(issue!.expected.includes('100-euro-bills'), issue!.expected);
});

test("a user schema's map key is refused with its own description, or its pattern without one", () => {
  const dir = tempDir('map-keys');
  const schema = (described: boolean) => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'urn:test:basket.v1', type: 'object', additionalProperties: false,
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Items'],
    properties: {
      EventType: { const: 'basket' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' },
      EventTimeStamp: { type: 'integer', minimum: 0, maximum: 4102444800 },
      Items: { type: 'object', propertyNames: { pattern: '^SKU-[0-9]{3}$', ...(described ? { description: 'a SKU such as "SKU-001"' } : {}) }, additionalProperties: { type: 'integer' } },
    },
  });
  const event = { EventType: 'basket', SchemaVersion: 1, RequestId: '0b8f5a7e-3c1d-4e2f-9a6b-7c8d9e0f1a2b', EventTimeStamp: 1700000000, Items: { 'sku-1': 2 } };
  writeFileSync(join(dir, 'basket.v1.json'), JSON.stringify(schema(true)));
  const [described] = issueOf(SchemaRegistry.load({ folders: [dir] }), event);
  assert.equal({ ...described }, { pointer: '/Items/sku-1', reason: 'is not a key this field accepts', expected: 'a SKU such as "SKU-001"' });
  writeFileSync(join(dir, 'basket.v1.json'), JSON.stringify(schema(false)));
  const [bare] = issueOf(SchemaRegistry.load({ folders: [dir] }), event);
  assert.is(bare!.expected, 'a key matching ^SKU-[0-9]{3}$');
  assert.not.ok(`${bare!.reason} ${bare!.expected}`.includes('denomination'));
});

test.run();
