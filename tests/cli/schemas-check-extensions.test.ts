// `schemas check DIR` with --extensions reports what opening a lake with that module and folder refuses whatever the
// folder's schemas say, in the open's words: a deposit rule breaking the memo contract, a rule for an unknown type.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAgainstSchemas, loadExtensions } from '../../cli/load-extensions.ts';
import { runSchemasCommand } from '../support/schemas-cli.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(ROOT, 'examples/outgoing-payment');
const PARCELS = join(ROOT, 'tests/schemas/fixtures/check/good');

/** A --json finding; its file is relative to the current directory. */
interface Finding { file: string; pointer: string; rule: string; message: string }

const module = (rules: string): string => {
  const file = join(tempDir(), 'eventlake.extensions.ts');
  writeFileSync(file, `export const balanceRules = { ${rules} };\n`);
  return file;
};

async function check(extensions: string, dir: string): Promise<{ exitCode: number; findings: Finding[] }> {
  const { out, exitCode } = await runSchemasCommand('--extensions', extensions, 'schemas', 'check', dir, '--json');
  return { exitCode, findings: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding) };
}

/** What opening a lake with the module and `dir` refuses (the open's own check), or undefined. */
async function openRefusal(extensions: string, dir: string): Promise<string | undefined> {
  try {
    checkAgainstSchemas(await loadExtensions({ file: extensions, argument: '--extensions', where: 'given by the flag' }), [dir]);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

const test = suite('eventlake schemas check: the extensions module');

test('a cash_deposit rule without related is a builtin-rule finding filed under the module, in the open refusal\'s words', async () => {
  const extensions = module('cash_deposit: { decide: () => ({}) }');
  const { exitCode, findings } = await check(extensions, PARCELS);
  assert.is(exitCode, 1);
  assert.equal(findings.map((f) => [f.file, f.rule]), [[relative(process.cwd(), extensions), 'builtin-rule']]);
  assert.match(findings[0]!.message, /^balanceRules\.cash_deposit has no related/);
  assert.ok((await openRefusal(extensions, PARCELS))?.includes(findings[0]!.message), 'the open refuses it with the same words');
});

test('a balance rule for a type no loaded schema nor the checked folder defines is an extensions finding, in the open refusal\'s words', async () => {
  const extensions = module('outgoing_payment: { decide: () => ({}) }');
  const { exitCode, findings } = await check(extensions, PARCELS);
  assert.is(exitCode, 1);
  assert.equal(findings.map((f) => [f.file, f.rule]), [[relative(process.cwd(), extensions), 'extensions']]);
  assert.match(findings[0]!.message, 'has balanceRules.outgoing_payment, but no loaded schema defines outgoing_payment');
  assert.ok((await openRefusal(extensions, PARCELS))?.includes(findings[0]!.message), 'the open refuses it with the same words');
});

test('a balance rule for a type the checked folder defines is no finding', async () => {
  const extensions = module('outgoing_payment: { decide: () => ({}) }');
  const { out, exitCode } = await runSchemasCommand('--extensions', extensions, 'schemas', 'check', join(EXAMPLE, 'schemas'));
  assert.is(exitCode, 0, out);
  assert.match(out, '1 schema file(s), no findings');
});

test.run();
