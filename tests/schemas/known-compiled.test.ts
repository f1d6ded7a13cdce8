// Opening a registry compiles no schema known to compile (the built-in ones): each compiles at the first event
// validated against it. Any other schema still compiles at open, where its errors are reported.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { InvalidArgumentError, SchemaValidationError } from '../../domain/errors.ts';
import { compiledDigest, knownToCompile } from '../../schemas/known-compiled.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { SchemaCompiler } from '../../schemas/schema-compiler.ts';
import { readSchemaFile } from '../../schemas/schema-file.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('schema registry: built-in schemas compiled when used');

/** Schemas ajv compiled in this process (ajv is imported, so bundlers include it: what it may not do is compile). */
let compiled = 0;
const compile = Ajv2020.prototype.compile;
Ajv2020.prototype.compile = function counted(this: Ajv2020, ...args: Parameters<typeof compile>) {
  compiled++;
  return compile.apply(this, args);
} as typeof compile;
const builtins = readdirSync(BUILTIN_SCHEMAS_DIR).sort().map((f) => ({ file: f, schema: readSchemaFile(join(BUILTIN_SCHEMAS_DIR, f)).schema }));
const builtinTexts = builtins.map(({ file, schema }) => ({ file, text: JSON.stringify(schema) }));

// First, before any test loads ajv: this file imports nothing that does.
test('opening a registry of the built-in schemas compiles none of them', () => {
  const before = compiled;
  const registry = SchemaRegistry.load();
  assert.is(registry.types().length, 5);
  assert.is(compiled, before);
});

test('a valid event of a built-in type is accepted by its precheck, which compiles nothing with ajv', () => {
  const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });
  const before = compiled;
  for (const type of ['cash_deposit', 'cash_withdrawal', 'inter_account_transfer']) assert.is(registry.validate(SAMPLES[type]), SAMPLES[type], type);
  assert.is(compiled, before);
});

test('an invalid event compiles its type\'s schema, and is refused naming the field', () => {
  const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });
  const before = compiled;
  try {
    registry.validate(variant('cash_deposit', { Amount: 12 }));
    assert.unreachable('an Amount that is a number was accepted');
  } catch (error) {
    assert.instance(error, SchemaValidationError);
    assert.equal((error as SchemaValidationError).issues.map((i) => i.pointer), ['/Amount']);
  }
  assert.ok(compiled > before);
});

test('a schema of another folder still compiles at open: one ajv refuses is refused there with INVALID_ARGUMENT', () => {
  const dir = tempDir('known-compiled-');
  writeFileSync(join(dir, 'parcel_shipped.v1.json'), JSON.stringify({ type: 'object', properties: { Weight: { type: 'nmber' } } }));
  try {
    SchemaRegistry.load({ folders: [dir] });
    assert.unreachable('a schema with an unknown type loaded');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.is((error as InvalidArgumentError).code, 'INVALID_ARGUMENT');
    assert.match((error as Error).message, /not a valid JSON Schema \(draft 2020-12\)/);
  }
});

test('a built-in schema changed by one character is no longer known to compile (it compiles at open again)', () => {
  for (const { file, text } of builtinTexts) assert.not.ok(knownToCompile(text.replace('"object"', '"objekt"')), file);
});

test('every built-in schema is known to compile (else renew the list in schemas/known-compiled.ts)', () => {
  const unknown = builtinTexts.filter(({ text }) => !knownToCompile(text));
  const list = builtinTexts.map(({ file, text }) => `  '${compiledDigest(text)}', // ${file}`).join('\n');
  assert.equal(unknown.map((u) => u.file), [], `a built-in schema changed: once each compiles, list in KNOWN:\n${list}\n`);
});

test('every schema known to compile does: each built-in one compiles with the registry\'s ajv options', () => {
  const compiler = new SchemaCompiler();
  for (const { file, schema } of builtins) assert.type(compiler.compile(file, schema).validate, 'function', file);
});

test.run();
