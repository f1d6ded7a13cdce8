// `schemas check DIR --extensions M` reports each upcaster of M that opening a lake with M and DIR refuses, in the
// open's words and filed under M, so that the check passes exactly when the open registers every upcaster.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkAgainstSchemas, loadExtensions } from '../../cli/load-extensions.ts';
import { rejects } from '../support/async.ts';
import { runSchemasCommand } from '../support/schemas-cli.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** parcel_shipped v1 and v2 (a compatible bump). */
const PARCELS = join(ROOT, 'tests/schemas/fixtures/check/good');
const LIFT = '(e) => ({ ...e })';

/** A module exporting `upcasters`, each given as `[type, fromVersion]` with LIFT as its function. */
function module(...steps: [string, number][]): string {
  const file = join(tempDir(), 'eventlake.extensions.ts');
  const list = steps.map(([type, from]) => `{ type: '${type}', fromVersion: ${from}, upcast: ${LIFT} }`);
  writeFileSync(file, `export const upcasters = [${list.join(', ')}];\n`);
  return file;
}

/** `schemas check dir --json` with the module: the exit code and each finding as [file, rule, message]. */
async function check(extensions: string, dir: string, ...global: string[]): Promise<{ exitCode: number; findings: string[][] }> {
  const { out, exitCode } = await runSchemasCommand(...global, '--extensions', extensions, 'schemas', 'check', dir, '--json');
  const findings = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
  return { exitCode, findings: findings.map((f) => [f['file']!, f['rule']!, f['message']!]) };
}

/** The message a lake opening with the module and `dir` is refused with (the open's own check). */
async function openRefusal(extensions: string, dir: string): Promise<string> {
  const loaded = await loadExtensions({ file: extensions, argument: '--extensions', where: 'given by the flag' });
  return thrown(() => checkAgainstSchemas(loaded, [dir]), InvalidArgumentError).message;
}

/** Check and open agree: one `extensions` finding under the module, starting with `start`, that the open refuses. */
async function assertOneRefusal(extensions: string, start: string): Promise<void> {
  const { exitCode, findings } = await check(extensions, PARCELS);
  assert.is(exitCode, 1);
  assert.equal(findings.map(([file, rule]) => [file, rule]), [[relative(process.cwd(), extensions), 'extensions']]);
  const message = findings[0]![2]!;
  assert.ok(message.startsWith(start), message);
  assert.match(message, 'one upcaster per step');
  assert.ok((await openRefusal(extensions, PARCELS)).endsWith(`) ${message}`), 'the open refuses it in the same words');
}

const test = suite('eventlake schemas check: the extensions module\'s upcasters');

test('an upcaster for a type no schema defines is a finding naming its index', async () => {
  await assertOneRefusal(module(['parcel_shipped', 1], ['parcel_shiped', 1]),
    'has upcasters[1] (parcel_shiped v1 to v2) that cannot be registered: unknown EventType "parcel_shiped"');
});

test('a second upcaster for the same step is a finding naming the second', async () => {
  await assertOneRefusal(module(['parcel_shipped', 1], ['parcel_shipped', 1]),
    'has upcasters[1] (parcel_shipped v1 to v2) that cannot be registered: parcel_shipped v1: already has an upcaster');
});

test('an upcaster from the latest version, with no schema of the next, is a finding', async () => {
  await assertOneRefusal(module(['parcel_shipped', 2]),
    'has upcasters[0] (parcel_shipped v2 to v3) that cannot be registered: EventType "parcel_shipped" has no SchemaVersion 3');
});

test('an upcaster for a step a built-in upcaster lifts already is a finding', async () => {
  await assertOneRefusal(module(['cash_withdrawal', 1]),
    'has upcasters[0] (cash_withdrawal v1 to v2) that cannot be registered: cash_withdrawal v1: already has an upcaster');
});

test('every upcaster the open would refuse is a finding, and the open refuses with the first', async () => {
  const extensions = module(['parcel_shiped', 1], ['parcel_shipped', 1], ['parcel_shipped', 1], ['parcel_shipped', 2]);
  const { exitCode, findings } = await check(extensions, PARCELS);
  assert.is(exitCode, 1);
  assert.equal(findings.map(([, , message]) => /^has (upcasters\[\d\])/.exec(message!)?.[1]), ['upcasters[0]', 'upcasters[2]', 'upcasters[3]']);
  assert.ok((await openRefusal(extensions, PARCELS)).endsWith(`) ${findings[0]![2]}`));
});

test('upcasters the open registers are no finding, whether or not --schemas names the folder too', async () => {
  const extensions = module(['parcel_shipped', 1]);
  for (const global of [[], ['--schemas', PARCELS]]) {
    const { out, exitCode } = await runSchemasCommand(...global, '--extensions', extensions, 'schemas', 'check', PARCELS);
    assert.is(exitCode, 0, out);
    assert.match(out, '2 schema file(s), no findings');
  }
});

test('an upcaster to a version whose file does not load is left to that file\'s own finding', async () => {
  const dir = tempDir();
  copyFileSync(join(PARCELS, 'parcel_shipped.v1.json'), join(dir, 'parcel_shipped.v1.json'));
  const v2 = JSON.parse(readFileSync(join(PARCELS, 'parcel_shipped.v2.json'), 'utf8')) as { properties: { SchemaVersion: { const: number } } };
  v2.properties.SchemaVersion.const = 3;
  writeFileSync(join(dir, 'parcel_shipped.v2.json'), JSON.stringify(v2));
  const { exitCode, findings } = await check(module(['parcel_shipped', 1]), dir);
  assert.is(exitCode, 1);
  assert.equal(findings.map(([file, rule]) => [file, rule]), [[relative(process.cwd(), join(dir, 'parcel_shipped.v2.json')), 'envelope']]);
});

test('an upcaster that is not a function is refused by the check as by the open, before any finding', async () => {
  const extensions = join(tempDir(), 'eventlake.extensions.ts');
  writeFileSync(extensions, 'export const upcasters = [{ type: \'parcel_shipped\', fromVersion: 1, up: (e) => e }];\n');
  const refused = await rejects(() => runSchemasCommand('--extensions', extensions, 'schemas', 'check', PARCELS), InvalidArgumentError);
  assert.match(refused.message, 'has the wrong exports: upcasters[0].upcast must be a function');
  await rejects(() => openRefusal(extensions, PARCELS), InvalidArgumentError);
});

test.run();
