// `--extensions FILE` and the schemas commands: an upcaster step from the module counts like a registered one, so
// `schemas check` accepts the breaking change it covers and `schemas list` shows the step.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const V1 = resolve(fileURLToPath(new URL('../../examples/outgoing-payment/schemas/outgoing_payment.v1.json', import.meta.url)));

/** A folder with outgoing_payment v1 and a breaking v2 (a new required `Purpose`), and a module upcasting v1 to v2. */
function breakingV2(): { schemas: string; module: string } {
  const dir = tempDir();
  const schemas = join(dir, 'schemas');
  const v1 = JSON.parse(readFileSync(V1, 'utf8')) as { properties: Record<string, unknown>; required: string[] };
  const v2 = {
    ...v1,
    $id: 'https://example.com/schemas/outgoing_payment/v2.json',
    properties: { ...v1.properties, SchemaVersion: { const: 2 }, Purpose: { type: 'string', minLength: 1 } },
    required: [...v1.required, 'Purpose'],
  };
  mkdirSync(schemas);
  copyFileSync(V1, join(schemas, 'outgoing_payment.v1.json'));
  writeFileSync(join(schemas, 'outgoing_payment.v2.json'), JSON.stringify(v2, null, 2));
  const module = join(dir, 'eventlake.extensions.ts');
  writeFileSync(module, "export const upcasters = [{ type: 'outgoing_payment', fromVersion: 1, upcast: (e: Record<string, unknown>) => ({ ...e, Purpose: 'UNKNOWN' }) }];\n");
  return { schemas, module };
}

const test = suite('eventlake --extensions: upcasters and the schemas commands (CLI)');

test('schemas check flags a breaking v2 when no upcaster covers it', async () => {
  const { schemas } = breakingV2();
  const r = await runCli(['schemas', 'check', schemas]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /outgoing_payment\.v2\.json\s+\/required\/\d+\s+breaking-change/);
});

test('schemas check accepts a breaking v2 the module\'s upcaster covers', async () => {
  const { schemas, module } = breakingV2();
  const r = await runCli(['--extensions', module, 'schemas', 'check', schemas]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, `${schemas}: 2 schema file(s), no findings`);
});

test('schemas list shows the module\'s upcaster step', async () => {
  const { schemas, module } = breakingV2();
  const r = await runCli(['--schemas', schemas, '--extensions', module, 'schemas', 'list', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; upcasters: number[] });
  assert.equal(rows.find((row) => row.type === 'outgoing_payment')?.upcasters, [1]);
});

test.run();
