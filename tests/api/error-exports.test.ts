// A caller branches on an error's class, so every error class with a stable `code` must be importable from the package
// entry that owns its layer, exactly as a user imports it: `eventlake` (domain, schemas, projections), `eventlake/aws`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as core from 'eventlake';
import * as aws from 'eventlake/aws';
import * as local from 'eventlake/local';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Which entry a user imports a layer's errors from. */
const ENTRIES: readonly { readonly layers: readonly string[]; readonly entry: string; readonly api: Record<string, unknown> }[] = [
  { layers: ['domain', 'schemas', 'projections'], entry: 'eventlake', api: core },
  { layers: ['adapters/aws'], entry: 'eventlake/aws', api: aws },
  { layers: ['adapters/local'], entry: 'eventlake/local', api: local },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

interface ErrorClass { readonly name: string; readonly file: string; readonly entry: string; readonly api: Record<string, unknown> }

/** Every exported class of the layer's files, as text: the scan does not rely on the entries it checks. */
function declaredErrors(): ErrorClass[] {
  return ENTRIES.flatMap(({ layers, entry, api }) => layers.flatMap((layer) => sources(join(root, layer)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^export (?:abstract )?class (\w+) extends (\w+)/gm)]
      .filter((m) => m[2]!.endsWith('Error'))
      .map((m) => ({ name: m[1]!, file: relative(root, file), entry, api })))));
}

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
    if (e.api[e.name] !== defined) missing.push(`${e.name} (${e.file}) from '${e.entry}'`);
  }
  assert.equal(missing, []);
});

test('every error class has a stable code, its own or its parent\'s (the CLI and HTTP bodies print it)', () => {
  const text = ENTRIES.flatMap(({ layers }) => layers.flatMap((l) => sources(join(root, l)))).map((f) => readFileSync(f, 'utf8')).join('\n');
  const parents = new Map([...text.matchAll(/^export (?:abstract )?class (\w+) extends (\w+)/gm)].map((m) => [m[1]!, m[2]!]));
  const codes = new Map([...text.matchAll(/^export class (\w+) extends \w+ \{\n  readonly code = '([A-Z_]+)';/gm)].map((m) => [m[1]!, m[2]!]));
  const codeOf = (name: string | undefined): string | undefined => (name === undefined ? undefined : codes.get(name) ?? codeOf(parents.get(name)));
  assert.equal(declared.filter((e) => e.name !== 'EventlakeError' && codeOf(e.name) === undefined).map((e) => e.name), []);
  assert.is(codeOf('StoredEventInvalidError'), 'SCHEMA_VALIDATION');
});

test.run();
