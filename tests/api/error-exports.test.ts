// A caller branches on an error's class, so every error class with a stable `code` must be importable from the package
// entry that owns its layer, exactly as a user imports it: `eventlake` (domain, schemas, projections), `eventlake/aws`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from 'eventlake';
import * as aws from 'eventlake/aws';
import * as local from 'eventlake/local';
import { declaredErrors, root } from '../support/error-classes.ts';

/** What a user imports from each entry. */
const APIS: Readonly<Record<string, Record<string, unknown>>> = { 'eventlake': core, 'eventlake/aws': aws, 'eventlake/local': local };

const declared = declaredErrors();
const test = suite('api: error classes are exported from the package entries');

test('the scan finds the error hierarchy (a scan that finds nothing would pass anything)', () => {
  assert.ok(declared.length >= 25, `only ${declared.length} error classes found`);
  assert.ok(declared.some((e) => e.name === 'SchemaValidationError' && e.entry === 'eventlake'));
  assert.ok(declared.some((e) => e.name === 'RebuildFunctionError' && e.entry === 'eventlake/aws'));
});

test('every error class with a code is exported, by that name, from the entry of its layer', async () => {
  const missing: string[] = [];
  for (const e of declared) {
    const defined = (await import(pathToFileURL(join(root, e.file)).href) as Record<string, unknown>)[e.name];
    if (APIS[e.entry]![e.name] !== defined) missing.push(`${e.name} (${e.file}) from '${e.entry}'`);
  }
  assert.equal(missing, []);
});

test('every error class has a stable code, its own or its parent\'s (the CLI and HTTP bodies print it)', () => {
  assert.equal(declared.filter((e) => e.name !== 'EventlakeError' && e.code === undefined).map((e) => e.name), []);
  assert.is(declared.find((e) => e.name === 'StoredEventInvalidError')?.code, 'SCHEMA_VALIDATION');
});

test.run();
