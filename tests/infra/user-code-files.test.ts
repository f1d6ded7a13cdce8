// What a synth leaves on disk for the user's code: the schema folders as real files in the bundle (whatever their
// path), and generated entries that are always whole, whatever an earlier or a concurrent synth left behind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copySchemaFolderCommands, generatedEntry } from '../../infra/user-code.ts';
import { tempDir } from '../support/tmp.ts';

const FIXTURE_SCHEMAS = join(import.meta.dirname, 'fixtures/user-types/schemas');

/** Run the afterBundling commands for `folders` as CDK does (bash -c, joined by &&) into a fresh bundle folder. */
function bundleWith(folders: string[]): string {
  const out = join(tempDir(), 'bundle');
  mkdirSync(out);
  execFileSync('bash', ['-c', copySchemaFolderCommands({ schemaFolders: folders }, out).join(' && ')]);
  return out;
}

/** A copy of the fixture's schema folder at `path` (parents created). */
function schemasAt(path: string): string {
  mkdirSync(path, { recursive: true });
  for (const f of readdirSync(FIXTURE_SCHEMAS)) writeFileSync(join(path, f), readFileSync(join(FIXTURE_SCHEMAS, f)));
  return path;
}

const test = suite('user code on disk: bundled schema folders and generated entries');

test('a schema folder whose path holds spaces and quotes is copied into the bundle', () => {
  const folder = schemasAt(join(tempDir(), `my "team's" schemas`, 'v 1'));
  const out = bundleWith([folder]);
  assert.equal(readdirSync(join(out, 'user-schemas', '0-v_1')).sort(), readdirSync(FIXTURE_SCHEMAS).sort());
});

test('a schema folder given as a symbolic link is copied as its files, not as a link to the build host\'s path', () => {
  const real = schemasAt(join(tempDir(), 'real-schemas'));
  const link = join(tempDir(), 'schemas');
  symlinkSync(real, link);
  const copied = join(bundleWith([link]), 'user-schemas', '0-schemas');
  assert.ok(lstatSync(copied).isDirectory(), 'a symlink in the bundle points at a path only the synth host has');
  assert.equal(readdirSync(copied).sort(), readdirSync(FIXTURE_SCHEMAS).sort());
});

test('a generated entry an interrupted synth left incomplete is written whole by the next synth', () => {
  const root = tempDir();
  const file = generatedEntry(root, 'projector', join(root, 'extensions.ts'));
  const whole = readFileSync(file, 'utf8');
  writeFileSync(file, whole.slice(0, 40));
  assert.is(generatedEntry(root, 'projector', join(root, 'extensions.ts')), file);
  assert.is(readFileSync(file, 'utf8'), whole);
});

test('writing a generated entry leaves no other file beside it (it is written under a temporary name, then renamed)', () => {
  const root = tempDir();
  const file = generatedEntry(root, 'rebuild', join(root, 'extensions.ts'));
  writeFileSync(file, '');
  generatedEntry(root, 'rebuild', join(root, 'extensions.ts'));
  assert.equal(readdirSync(dirname(file)), [file.slice(dirname(file).length + 1)]);
});

test.run();
