// Opening a registry compiles no schema known to compile (the built-in ones): each compiles at the first event
// validated against it. Any other schema still compiles at open, where its errors are reported.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { compiledDigest, knownToCompile } from '../../schemas/known-compiled.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { SchemaCompiler } from '../../schemas/schema-compiler.ts';
import { readSchemaFile } from '../../schemas/schema-file.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('schema registry: built-in schemas compiled when used');
const ROOT = join(import.meta.dirname, '../..');

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
  // In a fresh process: validators are shared within a process (schema-compiler.ts), and a test file run before this
  // one in the same process (the runner batches small files) may have compiled this schema already.
  const href = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, path)).href);
  const script = `
    import { Ajv2020 } from 'ajv/dist/2020.js';
    const { SchemaRegistry } = await import(${href('schemas/registry.ts')});
    const { SchemaValidationError } = await import(${href('domain/errors.ts')});
    const { variant } = await import(${href('tests/support/samples.ts')});
    let compiled = 0;
    const compile = Ajv2020.prototype.compile;
    Ajv2020.prototype.compile = function (...args) { compiled++; return compile.apply(this, args); };
    const registry = SchemaRegistry.load({ now: () => 1_700_000_000 });
    const before = compiled;
    let refusal;
    try { registry.validate(variant('cash_deposit', { Amount: 12 })); } catch (error) { refusal = error; }
    process.stdout.write(JSON.stringify({ before, after: compiled, typed: refusal instanceof SchemaValidationError,
      pointers: refusal?.issues?.map((i) => i.pointer) }));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  const seen = JSON.parse(run.stdout) as { before: number; after: number; typed: boolean; pointers?: string[] };
  assert.ok(seen.typed, 'an Amount that is a number was not refused with a SchemaValidationError');
  assert.equal(seen.pointers, ['/Amount']);
  assert.ok(seen.after > seen.before, `no schema compiled (${JSON.stringify(seen)})`);
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
