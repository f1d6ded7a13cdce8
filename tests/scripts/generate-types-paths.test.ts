// scripts/generate-types.ts from an app: the paths it writes and suggests are the app's, so --check holds wherever it sits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTypes, regenerateCommand } from '../../scripts/generate-types.ts';
import { once } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = 'node_modules/eventlake/scripts/generate-types.ts';
const OUT = 'src/events.generated.ts';

/** An app in `parent`: its schemas, tsx, and eventlake through the link `npm install <path>` makes. */
function makeApp(parent: string): string {
  const app = join(parent, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  mkdirSync(join(app, 'src'));
  symlinkSync(ROOT, join(app, 'node_modules/eventlake'), 'dir');
  symlinkSync(join(ROOT, 'node_modules/tsx'), join(app, 'node_modules/tsx'), 'dir');
  cpSync(join(ROOT, 'examples/outgoing-payment/schemas'), join(app, 'schemas'), { recursive: true });
  return app;
}

const generate = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd, encoding: 'utf8' });

/**
 * An app with its types generated: once for the file, each test getting its own copy at the same depth, links kept as
 * links. Written in this process by generateTypes as the script would from the app folder (a child costs a second of
 * CPU to start); it only sets the scene: the tests run the script on it, and one checks the script writes the same file.
 */
const generated = once(() => {
  const app = makeApp(tempDir());
  writeFileSync(join(app, OUT), generateTypes(join(app, 'schemas'), join(app, OUT), app));
  return app;
});
function generatedApp(): string {
  const app = join(tempDir(), 'app');
  cpSync(generated(), app, { recursive: true, verbatimSymlinks: true });
  return app;
}

/** A suggested command line run by a shell from `cwd`, as the user would paste it. */
const shell = (cwd: string, command: string) => spawnSync('sh', ['-c', command], {
  cwd, encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}` },
});

const test = suite('generate-types paths');

test('an app copied to a folder at another depth from eventlake still passes --check', () => {
  const app = generatedApp();
  const moved = join(tempDir(), 'a/b/c/app');
  cpSync(app, moved, { recursive: true, verbatimSymlinks: true });
  const r = generate(moved, './schemas', '--out', OUT, '--check');
  assert.is(r.status, 0, r.stderr);
});

test('the command the --check hint gives, run from the app folder, brings the file up to date', () => {
  const app = makeApp(tempDir());
  writeFileSync(join(app, OUT), '// stale\n');
  const check = generate(app, './schemas', '--out', OUT, '--check');
  assert.is(check.status, 1, check.stderr);
  const command = /out of date: run (.+)\n$/.exec(check.stderr)?.[1];
  assert.ok(command, check.stderr);
  assert.ok(command.includes(SCRIPT), command);
  const r = shell(app, command);
  assert.is(r.status, 0, r.stderr);
  // Read back in this process: up to date is what --check compares, the text the schemas generate from the app folder.
  assert.is(readFileSync(join(app, OUT), 'utf8'), generateTypes(join(app, 'schemas'), join(app, OUT), app));
});

test('the Regenerate line of the generated file, run from the app folder, writes the same file', () => {
  const app = generatedApp();
  const written = readFileSync(join(app, OUT), 'utf8');
  const command = /^\/\/ Regenerate: (.+)$/m.exec(written)?.[1];
  assert.ok(command, written.slice(0, 300));
  const r = shell(app, command);
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(app, OUT), 'utf8'), written);
});

test('--check from another folder of the app says only the header paths differ, and how to check', () => {
  const app = generatedApp();
  const r = spawnSync(process.execPath, ['--import', 'tsx', `../${SCRIPT}`, '../schemas', '--out', 'events.generated.ts', '--check'],
    { cwd: join(app, 'src'), encoding: 'utf8' });
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes('only in the paths its header names') && r.stderr.includes('folder it was generated in'), r.stderr);
});

test('inside the repository the command names scripts/generate-types.ts and paths from the repository', () => {
  const command = regenerateCommand(join(ROOT, 'schemas/builtin'), join(ROOT, 'domain/bank-events.generated.ts'), ROOT);
  assert.is(command, 'node --import tsx scripts/generate-types.ts schemas/builtin --out domain/bank-events.generated.ts');
});

test('a path with a space is quoted for the shell', () => {
  const command = regenerateCommand('my schemas', 'src/events.generated.ts', ROOT);
  assert.ok(command.endsWith(`'my schemas' --out src/events.generated.ts`), command);
});

test.run();
