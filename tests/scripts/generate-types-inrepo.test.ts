// scripts/generate-types.ts inside the eventlake checkout: without --out only schemas/builtin may write the built-in
// types; another schema folder is refused before anything is written, and the built-in runs still work.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GENERATED = 'domain/bank-events.generated.ts';
const SHIPPED = readFileSync(join(ROOT, GENERATED), 'utf8');
const EXAMPLE = 'examples/outgoing-payment';

/**
 * A copy of the checkout with what the generator needs and the example's schemas, so a generator that wrongly wrote
 * the built-in file would write into this copy, never into the repository under test.
 */
function makeCheckout(): string {
  const checkout = join(tempDir(), 'eventlake');
  const scripts = readdirSync(join(ROOT, 'scripts')).filter((f) => f.startsWith('generate-types')).map((f) => `scripts/${f}`);
  for (const path of ['package.json', 'tsconfig.json', ...scripts, 'domain', 'schemas/builtin', `${EXAMPLE}/schemas`]) {
    cpSync(join(ROOT, path), join(checkout, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  return checkout;
}

const generate = (cwd: string, script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd, encoding: 'utf8' });
const builtIn = (checkout: string) => readFileSync(join(checkout, GENERATED), 'utf8');

/**
 * One run of the generator on the example's schema folder without --out, in a checkout of its own, shared by the tests
 * of its exit and message, of the built-in file it left and of the command it suggests (one process start, not three).
 */
let refusal: { checkout: string; r: ReturnType<typeof generate> } | undefined;
function refusedRun(): NonNullable<typeof refusal> {
  if (!refusal) {
    const checkout = makeCheckout();
    refusal = { checkout, r: generate(checkout, 'scripts/generate-types.ts', `${EXAMPLE}/schemas`) };
  }
  return refusal;
}

const test = suite('generate-types inside eventlake');

test('another schema folder without --out exits 1 with one INVALID_ARGUMENT line naming --out and an example path', () => {
  const { r } = refusedRun();
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('generate-types: INVALID_ARGUMENT: --out FILE: required for a schema folder other than'), r.stderr);
  assert.ok(r.stderr.includes(`${EXAMPLE}/schemas --out ${EXAMPLE}/types.generated.ts`), r.stderr);
  assert.is(r.stderr.split('\n').length, 2, r.stderr);
  assert.is(r.stdout, '');
});

test('another schema folder without --out leaves domain/bank-events.generated.ts byte-identical', () => {
  const { checkout } = refusedRun();
  assert.is(builtIn(checkout), SHIPPED);
});

test('another schema folder with --check but no --out is refused the same way, not compared with the built-in file', () => {
  const checkout = makeCheckout();
  const r = generate(checkout, 'scripts/generate-types.ts', `${EXAMPLE}/schemas`, '--check');
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('generate-types: INVALID_ARGUMENT: --out FILE: '), r.stderr);
});

test('from a project folder inside the checkout, its schema folder without --out is refused and the built-in file kept', () => {
  const checkout = makeCheckout();
  const r = generate(join(checkout, EXAMPLE), '../../scripts/generate-types.ts', 'schemas');
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes('schemas --out types.generated.ts'), r.stderr);
  assert.is(builtIn(checkout), SHIPPED);
});

test('the command the refusal gives, run by a shell, writes the example types as shipped and keeps the built-in file', () => {
  const { checkout, r: refused } = refusedRun();
  const command = / as in (node --import tsx \S+ \S+ --out \S+)$/m.exec(refused.stderr)?.[1];
  assert.ok(command);
  const path = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;
  const r = spawnSync('sh', ['-c', command], { cwd: checkout, encoding: 'utf8', env: { ...process.env, PATH: path } });
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(checkout, EXAMPLE, 'types.generated.ts'), 'utf8'), readFileSync(join(ROOT, EXAMPLE, 'types.generated.ts'), 'utf8'));
  assert.is(builtIn(checkout), SHIPPED);
});

test('no arguments still writes the built-in file byte-identical to the shipped one, and --check then passes', () => {
  const checkout = makeCheckout();
  const r = generate(checkout, 'scripts/generate-types.ts');
  assert.is(r.status, 0, r.stderr);
  assert.is(builtIn(checkout), SHIPPED);
  const check = generate(checkout, 'scripts/generate-types.ts', '--check');
  assert.is(check.status, 0, check.stderr);
});

test('the built-in folder named as SCHEMA_DIR (any spelling of its path) still writes the built-in file, and --check passes', () => {
  const checkout = makeCheckout();
  for (const dir of ['schemas/builtin', './schemas/builtin/', join(checkout, 'schemas/builtin')]) {
    const r = generate(checkout, 'scripts/generate-types.ts', dir);
    assert.is(r.status, 0, `${dir}: ${r.stderr}`);
    assert.is(generate(checkout, 'scripts/generate-types.ts', dir, '--check').status, 0, dir);
  }
  assert.is(builtIn(checkout), SHIPPED);
});

test.run();
