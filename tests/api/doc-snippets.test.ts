// The TypeScript snippets of README.md and docs/typescript-api.md are what a user copies: each one must type-check in a
// project of its own that imports the package by name (`eventlake`, `eventlake/local`, …), with the compiler options
// docs/typescript-api.md tells users to set, under both module resolutions it names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = ['README.md', 'docs/typescript-api.md'];

interface Snippet { readonly doc: string; readonly line: number; readonly code: string }

function snippets(doc: string): Snippet[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    found.push({ doc, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return found;
}

/** The options docs/typescript-api.md gives (its JSON block with `compilerOptions`), so the page cannot drift from the check. */
function documentedOptions(): Record<string, unknown> {
  const text = readFileSync(join(root, 'docs/typescript-api.md'), 'utf8');
  const block = /```json\n(\{ "compilerOptions"[\s\S]*?)\n```/.exec(text);
  if (!block) throw new Error('docs/typescript-api.md has no ```json block with "compilerOptions"');
  return (JSON.parse(block[1]!) as { compilerOptions: Record<string, unknown> }).compilerOptions;
}

/**
 * README fragments continue an earlier snippet (`local` from openLocalEventlake, a `registry`): what they use without
 * declaring it is declared with the type the earlier snippet gives it, and nothing else is added.
 */
function moduleOf(s: Snippet): string {
  const uses = (name: string) => new RegExp(`\\b${name}\\.`).test(s.code) && !new RegExp(`\\b(const|let) ${name}\\b`).test(s.code);
  const prelude = [
    uses('local') ? "declare const local: Awaited<ReturnType<typeof import('eventlake/local').openLocalEventlake>>;" : '',
    uses('registry') ? "declare const registry: import('eventlake').SchemaRegistry;" : '',
  ].filter(Boolean);
  return `${prelude.join('\n')}\n${s.code}\nexport {};\n`;
}

const all = DOCS.flatMap(snippets);
const project = tempDir('eventlake-api-docs-');
mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
symlinkSync(root, join(project, 'node_modules/eventlake'));
symlinkSync(join(root, 'node_modules/@aws-sdk'), join(project, 'node_modules/@aws-sdk'));
symlinkSync(join(root, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'));
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', type: 'module' }));
const files = all.map((s, i) => {
  const name = `snippet-${i}.ts`;
  writeFileSync(join(project, name), moduleOf(s));
  return { name, s };
});

/** tsc's errors per snippet file, with `options` over the documented ones. */
function typeCheck(options: Record<string, unknown>): Map<string, string[]> {
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...documentedOptions(), ...options }, files: files.map((f) => f.name) }));
  let out = '';
  try {
    // --pretty false: the test runner sets FORCE_COLOR, which makes tsc print colored multi-line errors this parse misses.
    // --singleThreaded: the suite keeps every core busy, where tsc's parallel parse and check only add CPU (-20 %).
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', project, '--pretty', 'false', '--singleThreaded'], { cwd: project, encoding: 'utf8' });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? error);
  }
  const errors = new Map<string, string[]>();
  for (const line of out.split('\n').filter((l) => /error TS\d+/.test(l))) {
    const file = /^(?:\.\.\/)*[^(]*?([^/(]+\.ts)\(/.exec(line)?.[1] ?? '(elsewhere)';
    errors.set(file, [...(errors.get(file) ?? []), line]);
  }
  return errors;
}

const test = suite('api: documented TypeScript snippets type-check from the package entries');

test('both documents have snippets to check (a page without any would pass anything)', () => {
  assert.ok(all.filter((s) => s.doc === 'README.md').length >= 4, 'README.md');
  assert.ok(all.filter((s) => s.doc === 'docs/typescript-api.md').length >= 5, 'docs/typescript-api.md');
});

for (const [label, options] of [['NodeNext', {}], ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }]] as const) {
  test(`every snippet type-checks with the documented options and ${label} resolution`, () => {
    const errors = typeCheck(options);
    const failures = [...errors].map(([file, lines]) => {
      const s = files.find((f) => f.name === file)?.s;
      return `${s ? `${s.doc}:${s.line}` : file}: ${lines.join('\n  ')}`;
    });
    assert.equal(failures, []);
  });
}

test('without allowImportingTsExtensions the package does not type-check, as the page warns', () => {
  const errors = typeCheck({ allowImportingTsExtensions: false });
  const inPackage = [...errors].filter(([file]) => !files.some((f) => f.name === file)).flatMap(([, lines]) => lines);
  assert.ok(inPackage.some((l) => l.includes('error TS5097')), 'expected TS5097 in the package\'s own files');
});

test.run();
