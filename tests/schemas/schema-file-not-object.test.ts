// A schema file whose JSON is not an object (null, true, a string, a number, an array) is refused at load with
// INVALID_ARGUMENT naming the file and what it must hold: null and the scalars failed with a bare TypeError (the CLI's
// exit 3 and a stack trace), and an array or `true` loaded as a schema that accepts any field of any type.
// `schemas check` reports it as that one finding, not as an object schema missing every envelope field.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a schema file that is not a JSON object');

const message = (what: string) => `is ${what}, not a JSON object: a schema file holds one JSON Schema object ({ "type": "object", "properties": { "EventType": { "const": "parcel" }, … } })`;

for (const [what, text] of [['null', 'null'], ['true', 'true'], ['a string', '"parcel"'], ['a number', '5'], ['an array', '[]']] as const) {
  test(`a schema file holding ${what} is refused at load, naming the file and that it must hold one JSON Schema object`, () => {
    const dir = tempDir();
    const file = join(dir, 'parcel.v1.json');
    writeFileSync(file, text);
    assert.throws(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), (e: unknown) => e instanceof InvalidArgumentError
      && e.message === `${file}: ${message(what)}`);
  });

  test(`schemas check reports a file holding ${what} as one json finding with the same message`, () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'parcel.v1.json'), text);
    assert.equal(checkSchemaFolder(dir).findings, [{ file: join(dir, 'parcel.v1.json'), pointer: '', rule: 'json', message: message(what) }]);
  });
}

test.run();
