// A broken extensions module is refused before anything is opened: a missing file, a module that throws on import,
// exports of the wrong shape and a rule for a type no schema defines are INVALID_ARGUMENT naming where the path came
// from (`--extensions` or the config key `extensions`) and the fix; no data dir is created.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const SCHEMAS = ['--schemas', join(EXAMPLE, 'schemas')];

/** `emit` of two built-in events: a command that opens (and would create) the data dir once its input is valid. */
function emitArgs(): string[] {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').split('\n').slice(0, 2).join('\n'));
  return ['emit', file];
}

/** A module file with `source`, in a new folder. */
function moduleFile(source: string, name = 'eventlake.extensions.ts'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, source);
  return file;
}

const test = suite('eventlake --extensions: refusals (CLI)');

test('a missing file is refused naming --extensions and what to give', async () => {
  const file = join(tempDir(), 'nope.ts');
  await assertRefusedBeforeOpen(['--extensions', file, ...emitArgs()],
    `INVALID_ARGUMENT: --extensions: ${file} (given by the flag or EVENTLAKE_EXTENSIONS) is not a file: give the path (relative to the current directory) of a TS or JS module exporting balanceRules and/or upcasters`);
});

test('a module that throws on import is refused with its error and the fix', async () => {
  const file = moduleFile("throw new Error('no database here');\n");
  await assertRefusedBeforeOpen(['--extensions', file, ...emitArgs()], `INVALID_ARGUMENT: --extensions: ${file} (given by the flag or EVENTLAKE_EXTENSIONS) threw on import: no database here; fix the module so it loads`);
});

test('a module exporting neither balanceRules nor upcasters is refused saying what to export', async () => {
  const file = moduleFile('export const rules = {};\n', 'ext.mjs');
  await assertRefusedBeforeOpen(['--extensions', file, ...emitArgs()], 'has the wrong exports: it exports neither balanceRules nor upcasters (export them by name, or export default defineExtensions({ ... }))');
});

test('a rule without decide is refused naming the rule', async () => {
  const file = moduleFile('export const balanceRules = { outgoing_payment: { fold: () => ({}) } };\n');
  await assertRefusedBeforeOpen([...SCHEMAS, '--extensions', file, ...emitArgs()], 'balanceRules.outgoing_payment must be a rule with a decide(event, related) function');
});

test('an upcaster without a whole fromVersion is refused naming the step', async () => {
  const file = moduleFile("export const upcasters = [{ type: 'outgoing_payment', fromVersion: '1', upcast: (e) => e }];\n", 'ext.js');
  await assertRefusedBeforeOpen([...SCHEMAS, '--extensions', file, ...emitArgs()], 'upcasters[0].fromVersion must be a whole number >= 1');
});

test('a rule for a type no loaded schema defines is refused naming --schemas', async () => {
  const file = moduleFile('export const balanceRules = { outgoing_payment: { decide: () => ({}) } };\n');
  await assertRefusedBeforeOpen(['--extensions', file, ...emitArgs()], 'has balanceRules.outgoing_payment, but no loaded schema defines outgoing_payment: add its schema folder (--schemas or "schemaFolders") or fix the name');
});

test('an upcaster to a version no schema defines is refused naming the step', async () => {
  const file = moduleFile("export const upcasters = [{ type: 'outgoing_payment', fromVersion: 1, upcast: (e) => e }];\n");
  await assertRefusedBeforeOpen([...SCHEMAS, '--extensions', file, ...emitArgs()], /has upcasters\[0\] \(outgoing_payment v1 to v2\) that cannot be registered: .*both versions' schemas must be loaded/);
});

test('EVENTLAKE_EXTENSIONS names the module when --extensions is not given', async () => {
  const file = join(tempDir(), 'from-env.ts');
  process.env['EVENTLAKE_EXTENSIONS'] = file;
  try {
    await assertRefusedBeforeOpen([...emitArgs()], `--extensions: ${file} (given by the flag or EVENTLAKE_EXTENSIONS) is not a file`);
  } finally {
    delete process.env['EVENTLAKE_EXTENSIONS'];
  }
});

test('the config key extensions is resolved relative to the config file, and errors name the key', async () => {
  const dir = tempDir();
  const config = join(dir, 'eventlake.json');
  writeFileSync(config, JSON.stringify({ extensions: './missing.extensions.ts' }));
  await assertRefusedBeforeOpen(['--config', config, ...emitArgs()],
    `INVALID_ARGUMENT: extensions: ${join(dir, 'missing.extensions.ts')} ("extensions" in ${config}) is not a file: give the path (relative to the config file)`);
});

test('the config key extensions loads the module: its rule folds the balance', async () => {
  const dir = tempDir();
  const config = join(dir, 'eventlake.json');
  writeFileSync(config, JSON.stringify({ schemaFolders: [join(EXAMPLE, 'schemas')], extensions: relative(dir, join(EXAMPLE, 'eventlake.extensions.ts')) }));
  const dataDir = join(dir, 'lake');
  assert.is((await runCli(['--data-dir', dataDir, '--config', config, 'emit', join(EXAMPLE, 'events.ndjson')])).code, 0);
  const r = await runCli(['--data-dir', dataDir, '--config', config, 'balance', 'DE44-5001-0517']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, '1100.00');
});

test.run();
