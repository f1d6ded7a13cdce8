// The class → code table of docs/typescript-api.md lists every exported error class with its real code, so a class
// added, renamed or given another code without the table fails here.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredErrors, root } from '../support/error-classes.ts';

const test = suite('docs: the error class and code table');
const doc = readFileSync(join(root, 'docs/typescript-api.md'), 'utf8');
/** `| \`Class\` | \`CODE\` | …` rows: class → code as the table says. */
const rows = new Map([...doc.matchAll(/^\| `(\w+Error)` \| `([A-Z_]+)` \|/gm)].map((m) => [m[1]!, m[2]!]));
const coded = declaredErrors().filter((e) => e.code !== undefined);

test('the scan and the table find the hierarchy (an empty one would pass anything)', () => {
  assert.ok(coded.length >= 40, `only ${coded.length} coded error classes found`);
  assert.ok(rows.size >= 40, `only ${rows.size} rows found`);
});

test('every error class with a code has a row giving that code', () => {
  assert.equal(coded.filter((e) => rows.get(e.name) !== e.code).map((e) => `${e.name}: ${e.code} (table: ${rows.get(e.name) ?? 'no row'})`), []);
});

test('every row names a class that exists, with its code', () => {
  const known = new Map(coded.map((e) => [e.name, e.code]));
  assert.equal([...rows].filter(([name, code]) => known.get(name) !== code).map(([name]) => name), []);
});

test.run();
