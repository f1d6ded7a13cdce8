// A schema file holding a key twice is refused at load, and `schemas check` reports it: JSON.parse kept the last of
// the two, so half of a definition (e.g. a second "properties") was dropped without a word.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a schema file holding a key twice');

const TEXT = '{\n  "type": "object",\n  "properties": { "EventType": { "const": "parcel" } },\n  "properties": { "Weight": { "type": "number" } }\n}\n';
const MESSAGE = 'duplicate key "properties" at $.properties (line 4, column 3): a JSON object may hold a key once (JSON.parse would silently keep the last); remove one of the two';

test('is refused at load with INVALID_ARGUMENT naming the file, the key, its path and line, and the fix', () => {
  const dir = tempDir();
  const file = join(dir, 'parcel.v1.json');
  writeFileSync(file, TEXT);
  assert.throws(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), (e: unknown) => e instanceof InvalidArgumentError
    && e.message === `${file}: ${MESSAGE}`);
});

test('is one json finding of schemas check, pointing at the key', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel.v1.json'), TEXT);
  assert.equal(checkSchemaFolder(dir).findings, [{ file: join(dir, 'parcel.v1.json'), pointer: '/properties', rule: 'json', message: MESSAGE }]);
});

test.run();
