// What a schema file's text may hold: a leading UTF-8 byte order mark (Windows editors write one) loads as if absent,
// and text that is not JSON is refused by line and column only: V8's own message quoted the file's start, so a schema
// named like one but linked to /etc/passwd echoed it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { jsonSyntaxProblem } from '../../schemas/json-syntax.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('the text of a schema file');
const GOOD = readFileSync(join(import.meta.dirname, 'fixtures/check/good/parcel_shipped.v1.json'), 'utf8');
const SECRET = 'root:x:0:0:root:/root:/bin/bash\nsecret-line\n';

test('a leading UTF-8 byte order mark is dropped: the schema loads and schemas check has no finding', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel_shipped.v1.json'), `\uFEFF${GOOD}`);
  assert.equal(SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }).types().map((t) => t.type), ['parcel_shipped']);
  assert.equal(checkSchemaFolder(dir).findings, []);
});

test('a schema linked to a file that is not JSON is refused by line and column, quoting none of its text', () => {
  const [dir, elsewhere] = [tempDir(), join(tempDir(), 'passwd')];
  writeFileSync(elsewhere, SECRET);
  symlinkSync(elsewhere, join(dir, 'parcel.v1.json'));
  const message = 'not valid JSON: line 1, column 1: expected a JSON value (an object, array, string in double quotes, number, true, false or null)';
  assert.is(thrown(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), InvalidArgumentError).message, `${join(dir, 'parcel.v1.json')}: ${message}`);
  assert.equal(checkSchemaFolder(dir).findings.map((f) => f.message), [message]);
});

test('a JSON syntax error is placed by line and column with what was expected there', () => {
  assert.is(jsonSyntaxProblem('{\n  "a": 1,\n}'), "line 3, column 1: expected a property name in double quotes");
  assert.is(jsonSyntaxProblem('{"a" 1}'), "line 1, column 6: expected ':' after the property name");
  assert.is(jsonSyntaxProblem('[1 2]'), "line 1, column 4: expected ',' or ']' after an array element");
  assert.is(jsonSyntaxProblem('{"a": "b'), 'line 1, column 9: the file ends inside a string (a closing " is missing)');
  assert.is(jsonSyntaxProblem(''), 'line 1, column 1: the file ends before the JSON is complete');
  assert.is(jsonSyntaxProblem('{} {}'), 'line 1, column 4: expected the end of the file after the JSON value');
});

test('a syntax error deep in a million open brackets is placed without overflowing the stack', () => {
  assert.is(jsonSyntaxProblem('['.repeat(1_000_000)), 'line 1, column 1000001: the file ends before the JSON is complete');
});

test.run();
