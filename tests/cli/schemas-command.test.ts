import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFoldersFrom } from '../../cli/schema-folders.ts';
import { InvalidArgumentError, UnknownEventTypeError } from '../../domain/errors.ts';
import { BUILTIN_SCHEMAS_DIR } from '../../schemas/registry.ts';
import { rejects } from '../support/async.ts';
import { runSchemasCommand } from '../support/schemas-cli.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(ROOT, 'examples/outgoing-payment/schemas');
const FIXTURES = join(ROOT, 'tests/schemas/fixtures/check');

const run = runSchemasCommand;

const folders = suite('schemaFoldersFrom');

folders('--schemas values win over EVENTLAKE_SCHEMAS', () => {
  assert.equal(schemaFoldersFrom({ schemas: ['a', 'b'] }, { EVENTLAKE_SCHEMAS: 'c' }), [resolve('a'), resolve('b')]);
});

folders('EVENTLAKE_SCHEMAS is split on the path delimiter, blanks dropped', () => {
  assert.equal(schemaFoldersFrom({}, { EVENTLAKE_SCHEMAS: `a${delimiter}${delimiter} b ` }), [resolve('a'), resolve('b')]);
});

folders('folders are absolute and listed once; none by default', () => {
  assert.equal(schemaFoldersFrom({ schemas: ['x', resolve('x'), 'x/'] }, {}), [resolve('x')]);
  assert.equal(schemaFoldersFrom({}, {}), []);
});

folders.run();

const cli = suite('eventlake schemas');

cli('list shows each type with its versions, upcasts and folder', async () => {
  const { out } = await run('schemas', 'list');
  assert.match(out, /cash_withdrawal\s+1, 2\s+v1→v2\s+built-in/);
  assert.not.match(out, 'outgoing_payment');
});

cli('list includes the --schemas folders beside the built-ins', async () => {
  assert.match((await run('--schemas', EXAMPLE, 'schemas', 'list')).out, /outgoing_payment\s+1\s+examples\/outgoing-payment\/schemas/);
});

cli('EVENTLAKE_SCHEMAS is used when no --schemas is given', async () => {
  process.env['EVENTLAKE_SCHEMAS'] = EXAMPLE;
  try {
    assert.match((await run('schemas', 'list')).out, 'outgoing_payment');
  } finally {
    delete process.env['EVENTLAKE_SCHEMAS'];
  }
});

cli('list --json prints one object per type', async () => {
  const rows = (await run('schemas', 'list', '--json')).out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(rows.find((r) => r['type'] === 'cash_withdrawal'), { type: 'cash_withdrawal', versions: [1, 2], latest: 2, upcasters: [1], sources: [BUILTIN_SCHEMAS_DIR] });
});

cli('show prints the latest version\'s fields with whether each is required', async () => {
  const { out } = await run('schemas', 'show', 'cash_withdrawal');
  assert.match(out, 'cash_withdrawal v2 (built-in');
  assert.match(out, /Channel\s+yes\s+"ATM" \| "BRANCH" \| "UNKNOWN"/);
  assert.match(out, /Reference\s+no\s+string/);
});

cli('show --version names an older version and its upcast', async () => {
  const { out } = await run('schemas', 'show', 'cash_withdrawal', '--version', '1');
  assert.match(out, 'upcast to v2 on read');
  assert.not.match(out, 'Channel');
});

cli('show --json prints the JSON Schema itself', async () => {
  const file = join(BUILTIN_SCHEMAS_DIR, 'cash_withdrawal.v2.json');
  assert.equal(JSON.parse((await run('schemas', 'show', 'cash_withdrawal', '--json')).out), JSON.parse(readFileSync(file, 'utf8')));
});

cli('show of an unknown type names the known ones', async () => {
  const e = await rejects(() => run('schemas', 'show', 'outgoing_payment'), UnknownEventTypeError);
  assert.match(e.message, 'cash_deposit');
});

cli('show --version must be a whole number', async () => {
  await rejects(() => run('schemas', 'show', 'cash_withdrawal', '--version', 'two'), InvalidArgumentError);
});

cli('check prints every finding and exits 1', async () => {
  const { out, exitCode } = await run('schemas', 'check', join(FIXTURES, 'breaking'));
  assert.is(exitCode, 1);
  assert.is(out.trim().split('\n').length, 7);
  assert.match(out, /shipment\.v5\.json\s+\/required\/6\s+breaking-change/);
});

cli('check of a sound folder says so and exits 0', async () => {
  const { out, exitCode } = await run('schemas', 'check', EXAMPLE);
  assert.is(exitCode, 0);
  assert.match(out, '1 schema file(s), no findings');
});

cli('check of the built-in folder itself has no findings', async () => {
  assert.is((await run('schemas', 'check', BUILTIN_SCHEMAS_DIR)).exitCode, 0);
});

cli('check reports a folder that is also a --schemas folder, even when it would not load', async () => {
  const dir = join(FIXTURES, 'malformed');
  const { out, exitCode } = await run('--schemas', dir, 'schemas', 'check', dir);
  assert.is(exitCode, 1);
  assert.match(out, 'broken.v1.json');
});

cli('check compares a folder\'s new version of a built-in type with the built-in one', async () => {
  const dir = tempDir();
  const v3 = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_withdrawal.v2.json'), 'utf8')) as { properties: Record<string, unknown>; required: string[] };
  v3.properties['SchemaVersion'] = { const: 3 };
  v3.properties['Fee'] = { type: 'string' };
  v3.required.push('Fee');
  writeFileSync(join(dir, 'cash_withdrawal.v3.json'), JSON.stringify({ ...v3, $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://eventlake.dev/schemas/cash_withdrawal/v3.json' }));
  const { out } = await run('schemas', 'check', dir, '--json');
  // v3 is also newer than the built-in cash_withdrawal rule was written for, and no --extensions replaces that rule.
  const found = out.trim().split('\n').map((l) => JSON.parse(l) as { rule: string; pointer: string });
  assert.equal(found.map((f) => [f.rule, f.pointer]), [['breaking-change', '/required/9'], ['builtin-rule', '']]);
});

cli.run();
