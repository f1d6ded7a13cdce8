// A $ref written against the schema's own $id (relative, as "parcel.v1.json#/$defs/Carrier", or absolute) points
// inside its own file, as JSON Schema resolves it: it loads and `schemas check` accepts it. The registry compiled
// every schema without its $id, so such a ref did not resolve and was refused as one "outside its own schema file".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a $ref resolved against the schema file\'s own $id');

const ID = 'https://schemas.example.com/parcel.v1.json';

/** A folder with parcel v1 (and a v2 copied from it) whose Carrier is `{ $ref: ref }`, resolved against ID. */
function folder(ref: string): string {
  const dir = tempDir();
  for (const version of [1, 2]) {
    writeFileSync(join(dir, `parcel.v${version}.json`), JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema', $id: ID.replace('v1', `v${version}`), type: 'object', additionalProperties: false,
      required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Carrier'],
      properties: {
        EventType: { const: 'parcel' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' },
        EventTimeStamp: { type: 'integer' }, Carrier: { $ref: ref.replace('v1', `v${version}`) },
      },
      $defs: { Carrier: { type: 'string', enum: ['DHL', 'UPS'] } },
    }));
  }
  return dir;
}

const event = (Carrier: unknown) => ({ EventType: 'parcel', SchemaVersion: 2, RequestId: '0190a0b0-0000-7000-8000-000000000001', EventTimeStamp: 1_700_000_000, Carrier });

for (const ref of ['parcel.v1.json#/$defs/Carrier', `${ID}#/$defs/Carrier`]) {
  test(`a $ref to ${ref} loads and validates through the referenced definition`, () => {
    const registry = SchemaRegistry.load({ folders: [folder(ref)], withoutBuiltins: true });
    assert.is(registry.validate(event('DHL'))['Carrier'], 'DHL');
    assert.throws(() => registry.validate(event('a pigeon')), (e: unknown) => e instanceof SchemaValidationError && e.message.includes('Carrier'));
  });

  test(`schemas check finds nothing wrong with a $ref to ${ref}`, () => {
    const { findings } = checkSchemaFolder(folder(ref));
    assert.equal(findings.filter((f) => f.rule === 'json-schema'), []);
  });
}

test('a $ref to another file under the $id\'s base is still refused with the fix', () => {
  assert.throws(() => SchemaRegistry.load({ folders: [folder('carrier.json')], withoutBuiltins: true }), (e: unknown) => e instanceof Error
    && e.message.includes("can't resolve reference carrier.json") && e.message.includes('a $ref may only point inside its own schema file'));
});

test('a schema taking the draft 2020-12 meta-schema\'s URL as its $id is refused alone: the next file still compiles', () => {
  const dir = folder('carrier.json');
  const meta = 'https://json-schema.org/draft/2020-12/schema';
  writeFileSync(join(dir, 'parcel.v1.json'), readFileSync(join(dir, 'parcel.v1.json'), 'utf8').replace(ID, meta));
  const { findings } = checkSchemaFolder(dir);
  const compile = findings.filter((f) => f.rule === 'json-schema').map((f) => `${basename(f.file)} ${f.message.split(' from ')[0]!}`);
  assert.equal(compile, ['parcel.v1.json does not compile: can\'t resolve reference carrier.json', 'parcel.v2.json does not compile: can\'t resolve reference carrier.json']);
});

test.run();
