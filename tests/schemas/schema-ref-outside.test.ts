// A schema whose $ref points outside its own file (another file, a URL) is refused at load and by `schemas check`
// with the fix: eventlake loads no other file and fetches nothing, so a $ref may only point into the same schema
// (#/$defs/...). ajv's "can't resolve reference" alone did not say what would work.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a $ref outside the schema file');

const FIX = 'a $ref may only point inside its own schema file (e.g. "#/$defs/Carrier"): eventlake reads no other file and fetches no URL, so copy the referenced schema into $defs';

for (const ref of ['../shared/carrier.json', 'https://schemas.example.com/carrier.json']) {
  /** A folder with one parcel schema whose Carrier field is `{ $ref: ref }`. */
  const folder = () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'parcel.v1.json'), JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
      properties: { EventType: { const: 'parcel' }, SchemaVersion: { const: 1 }, Carrier: { $ref: ref } },
    }));
    return dir;
  };

  test(`a $ref to ${ref} is refused at load, naming the file, the reference and the fix`, () => {
    const dir = folder();
    assert.throws(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), (e: unknown) => e instanceof InvalidArgumentError
      && e.message.startsWith(`${join(dir, 'parcel.v1.json')}: not a valid JSON Schema (draft 2020-12): can't resolve reference ${ref}`)
      && e.message.endsWith(FIX));
  });

  test(`schemas check reports a $ref to ${ref} with the same fix`, () => {
    const { findings } = checkSchemaFolder(folder());
    assert.ok(findings.some((f) => f.rule === 'json-schema' && f.message.includes(`can't resolve reference ${ref}`) && f.message.endsWith(FIX)), JSON.stringify(findings));
  });
}

test.run();
