// A generated Lambda entry's imports resolve from where the entry really is, also when node_modules is a link.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedEntry } from '../../infra/user-code.ts';
import { tempDir } from '../support/tmp.ts';

/** A project root holding the modules a generated entry imports, and an extensions module. */
function project(): { root: string; extensions: string } {
  const root = tempDir();
  mkdirSync(join(root, 'adapters/aws/lambda'), { recursive: true });
  for (const f of ['deployment.ts', 'rebuild-setup.ts', 'projector-setup.ts']) writeFileSync(join(root, 'adapters/aws/lambda', f), '');
  writeFileSync(join(root, 'eventlake.extensions.ts'), '');
  return { root, extensions: join(root, 'eventlake.extensions.ts') };
}

/** The files the entry's imports name, resolved as esbuild resolves them: from the entry's real folder. */
function importedFiles(entry: string): string[] {
  const from = realpathSync(dirname(entry));
  return [...readFileSync(entry, 'utf8').matchAll(/from (".*");$/gm)].map((m) => resolve(from, JSON.parse(m[1]!) as string));
}

const test = suite('generated entries under a linked node_modules');

test('with node_modules a link to a folder elsewhere, every import of a generated entry names an existing file', () => {
  const { root, extensions } = project();
  const elsewhere = join(tempDir(), 'deeper', 'cache', 'node_modules');
  mkdirSync(elsewhere, { recursive: true });
  symlinkSync(elsewhere, join(root, 'node_modules'), 'dir');
  for (const entry of ['rebuild', 'projector'] as const) {
    const files = importedFiles(generatedEntry(root, entry, extensions));
    assert.is(files.length, 3);
    for (const f of files) assert.ok(existsSync(f), `${f} does not exist`);
  }
});

test.run();
