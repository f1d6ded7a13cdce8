// The hexagon as an executable rule: every import in the source tree is checked against the layer it crosses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LAYERS = ['domain', 'schemas', 'projections', 'adapters/local', 'adapters/aws', 'infra', 'cli', 'bench', 'examples'];

function files(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((n) => {
    const p = join(dir, n);
    if (n === 'node_modules' || n === 'cdk.out') return [];
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Import { file: string; spec: string; target: string | undefined }

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => ({ file: relative(root, file), spec, target: spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : undefined }));
}

function layerOf(path: string): string | undefined {
  return LAYERS.filter((l) => path === l || path.startsWith(`${l}/`)).sort((a, b) => b.length - a.length)[0];
}

const all = LAYERS.flatMap((l) => files(join(root, l))).flatMap(importsOf);
const test = suite('architecture boundaries');

function violations(rule: (i: Import) => boolean): string[] {
  return all.filter(rule).map((i) => `${i.file} imports ${i.spec}`);
}

test('the check sees the source tree', () => {
  assert.ok(all.length > 20, `only ${all.length} imports found`);
});

test('domain imports nothing but domain: no packages, no I/O', () => {
  assert.equal(violations((i) => layerOf(i.file) === 'domain' && (i.target === undefined || layerOf(i.target) !== 'domain')), []);
});

test('schemas import only domain and ajv', () => {
  assert.equal(violations((i) => layerOf(i.file) === 'schemas' && (i.target ? !['domain', 'schemas'].includes(layerOf(i.target) ?? '') : !/^(ajv|ajv-formats|node:(fs|path|url|crypto))(\/|$)/.test(i.spec))), []);
});

test('projections are written against ports only: domain and schemas, no adapters, no file system', () => {
  assert.equal(violations((i) => layerOf(i.file) === 'projections' && (i.target ? !['domain', 'schemas', 'projections'].includes(layerOf(i.target) ?? '') : /^(node:fs|@aws-sdk|better-sqlite3|@duckdb)/.test(i.spec))), []);
});

test('adapters never import each other', () => {
  assert.equal(violations((i) => layerOf(i.file) === 'adapters/local' && layerOf(i.target ?? '') === 'adapters/aws'), []);
  assert.equal(violations((i) => layerOf(i.file) === 'adapters/aws' && layerOf(i.target ?? '') === 'adapters/local'), []);
});

test('the AWS SDK is imported only under adapters/aws and infra', () => {
  assert.equal(violations((i) => /^@aws-sdk\//.test(i.spec) && !['adapters/aws', 'infra'].includes(layerOf(i.file) ?? '')), []);
});

test('nothing outside tests imports tests', () => {
  assert.equal(violations((i) => (i.target ?? '').startsWith('tests/')), []);
});

test('a crossing is detected (the check itself can fail)', () => {
  const fake: Import = { file: 'domain/x.ts', spec: '../adapters/local/fs.ts', target: 'adapters/local/fs.ts' };
  assert.is(layerOf(fake.file) === 'domain' && layerOf(fake.target!) !== 'domain', true);
});

test.run();
