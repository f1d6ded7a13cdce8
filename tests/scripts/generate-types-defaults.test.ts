// scripts/generate-types.ts's defaults are eventlake's own files: from an app they are refused, inside eventlake they work.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = 'node_modules/eventlake/scripts/generate-types.ts';
const GENERATED = 'domain/bank-events.generated.ts';
const UNTOUCHED = '// eventlake own file, untouched\n';

/**
 * An eventlake checkout of its own (what the script needs), so a generator that wrongly wrote its defaults would write
 * into this copy and never into the repository under test; and an app beside it, linked to it as `npm install <path>` does.
 */
function makeCheckoutAndApp(): { eventlake: string; app: string } {
  const parent = tempDir();
  const eventlake = join(parent, 'eventlake');
  for (const path of ['package.json', 'tsconfig.json', 'scripts/generate-types.ts', 'scripts/generate-types-targets.ts', 'domain', 'schemas/builtin']) {
    cpSync(join(ROOT, path), join(eventlake, path), { recursive: true });
  }
  writeFileSync(join(eventlake, GENERATED), UNTOUCHED);
  const app = join(parent, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  mkdirSync(join(app, 'src'));
  symlinkSync(eventlake, join(app, 'node_modules/eventlake'), 'dir');
  symlinkSync(join(ROOT, 'node_modules/tsx'), join(app, 'node_modules/tsx'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(eventlake, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'examples/outgoing-payment/schemas'), join(app, 'schemas'), { recursive: true });
  return { eventlake, app };
}

const generate = (cwd: string, script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd, encoding: 'utf8' });

/**
 * One run of the script from an app with no arguments, shared by the tests that look at its exit, its message, the
 * files it left and the command it suggests: three runs of the same command checked the same things at 0.8 s CPU each.
 */
let bare: { eventlake: string; app: string; r: ReturnType<typeof generate> } | undefined;
function bareRun(): NonNullable<typeof bare> {
  if (!bare) {
    const { eventlake, app } = makeCheckoutAndApp();
    bare = { eventlake, app, r: generate(app, SCRIPT) };
  }
  return bare;
}

const test = suite('generate-types defaults');

test('from an app, no SCHEMA_DIR and no --out exits 1 with INVALID_ARGUMENT naming both and the command to run', () => {
  const { r } = bareRun();
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('generate-types: INVALID_ARGUMENT: SCHEMA_DIR and --out FILE: required outside eventlake'), r.stderr);
  assert.ok(r.stderr.includes(`node --import tsx ${SCRIPT} schemas --out src/events.generated.ts`), r.stderr);
  assert.not.ok(/\n\s+at /.test(r.stderr), r.stderr);
});

test('from an app, no SCHEMA_DIR and no --out leaves eventlake own generated file as it was', () => {
  const { eventlake } = bareRun();
  assert.is(readFileSync(join(eventlake, GENERATED), 'utf8'), UNTOUCHED);
});

test('from an app, SCHEMA_DIR without --out is refused naming --out, and eventlake own generated file is kept', () => {
  const { eventlake, app } = makeCheckoutAndApp();
  const r = generate(app, SCRIPT, './schemas');
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes('INVALID_ARGUMENT: --out FILE: required outside eventlake'), r.stderr);
  assert.is(readFileSync(join(eventlake, GENERATED), 'utf8'), UNTOUCHED);
});

test('from an app, --out without SCHEMA_DIR is refused naming SCHEMA_DIR, and the --out file is not written', () => {
  const { app } = makeCheckoutAndApp();
  const r = generate(app, SCRIPT, '--out', 'src/bank.generated.ts');
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes('INVALID_ARGUMENT: SCHEMA_DIR: required outside eventlake'), r.stderr);
  assert.ok(r.stderr.includes(`${SCRIPT} schemas --out src/bank.generated.ts`), r.stderr);
  assert.not.ok(existsSync(join(app, 'src/bank.generated.ts')));
});

test('the command the refusal gives, run by a shell from the app folder, writes the app types', () => {
  const { app, r: refused } = bareRun();
  const command = / as in (node --import tsx \S+ schemas --out src\/events\.generated\.ts) /.exec(refused.stderr)?.[1];
  assert.ok(command);
  const path = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;
  const r = spawnSync('sh', ['-c', command], { cwd: app, encoding: 'utf8', env: { ...process.env, PATH: path } });
  assert.is(r.status, 0, r.stderr);
  assert.ok(readFileSync(join(app, 'src/events.generated.ts'), 'utf8').includes('export type EventsByType'));
});

test('inside eventlake (even through node_modules/eventlake) the defaults still write its own generated file', () => {
  const { eventlake, app } = makeCheckoutAndApp();
  for (const cwd of [eventlake, join(eventlake, 'scripts'), join(app, 'node_modules/eventlake')]) {
    writeFileSync(join(eventlake, GENERATED), UNTOUCHED);
    const r = generate(cwd, join(eventlake, 'scripts/generate-types.ts'));
    assert.is(r.status, 0, `${cwd}: ${r.stderr}`);
    assert.ok(readFileSync(join(eventlake, GENERATED), 'utf8').startsWith('// GENERATED from '), cwd);
  }
});

test.run();
