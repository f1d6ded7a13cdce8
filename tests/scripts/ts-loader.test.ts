// scripts/ts-loader.mjs, the test processes' TypeScript loader: it runs TypeScript as tsx does (types stripped, enums,
// `./x.js` and extensionless imports of .ts files), prints functions as tsx does (rule fingerprints hash that text),
// and its disk cache never serves a file's old text once the file changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('scripts/ts-loader.mjs');

/** A folder of modules (an ES module package), and a cache folder of its own (TMPDIR of the children). */
function project(files: Record<string, string>): { dir: string; tmp: string } {
  const dir = tempDir();
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, tmp };
}

function run(dir: string, tmp: string, loader: readonly string[], main = 'main.ts'): string {
  return execFileSync(process.execPath, [...loader, join(dir, main)], { cwd: dir, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
}

test('TypeScript runs: types stripped, enums, and ./x.js or extensionless imports of .ts files', () => {
  const { dir, tmp } = project({
    'main.ts': "import { twice } from './twice.js';\nimport { Kind } from './kind';\nconst n: number = twice(21);\nconsole.log(`${n} ${Kind.B}`);\n",
    'twice.ts': 'export function twice(x: number): number { return x * 2; }\n',
    'kind.ts': 'export enum Kind { A = 1, B = 2 }\n',
  });
  assert.is(run(dir, tmp, TS_CHILD_ARGS), '42 2\n');
});

test('a function prints the same text as under tsx', () => {
  const source = "export const rule = { decide: (e: { n: number }) => ({ delta: BigInt(e.n) * -1n }) };\nconsole.log((rule.decide as Function).toString() + ' ' + rule.decide.name);\n";
  const { dir, tmp } = project({ 'main.ts': source });
  const ours = run(dir, tmp, TS_CHILD_ARGS);
  assert.ok(ours.includes('decide'), ours);
  assert.is(ours, run(dir, tmp, ['--import', import.meta.resolve('tsx')]));
});

test('a changed file runs as changed: the cache is keyed by the file\'s text', () => {
  const { dir, tmp } = project({ 'main.ts': "console.log('before' as string);\n" });
  assert.is(run(dir, tmp, TS_CHILD_ARGS), 'before\n');
  writeFileSync(join(dir, 'main.ts'), "console.log('after' as string);\n");
  assert.is(run(dir, tmp, TS_CHILD_ARGS), 'after\n');
  assert.is(readdirSync(join(tmp, 'eventlake-ts-cache')).filter((n) => n.endsWith('.mjs')).length, 2);
});

test('a TypeScript syntax error fails the process, naming the file', () => {
  const { dir, tmp } = project({ 'main.ts': 'const x: number = ;\n' });
  try {
    run(dir, tmp, TS_CHILD_ARGS);
    assert.unreachable('a module that does not parse ran');
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr);
    assert.ok(stderr.includes('main.ts'), stderr);
  }
});

test.run();
