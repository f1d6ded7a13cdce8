// The extensions module of the README (`eventlake.extensions.ts`, ES `import`/`export`) loads through the real
// `eventlake` binary wherever it lives: also in a folder whose package.json does not say "type": "module" (or that
// has none), where Node takes a .ts or .js file for CommonJS. It failed there with "Cannot require() ES Module … in
// a cycle". The binary runs in a child process: the test runner's own tsx registration would hide the failure.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tmp.ts';

const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));
const INDEX = new URL('../../index.ts', import.meta.url).href;

/** A folder with no package.json (so CommonJS scope) holding `parcel_shipped` v1 and v2 and the module `name`. */
function commonJsScope(name: string, source: string): { dir: string; schemas: string; module: string } {
  const dir = tempDir();
  const schemas = join(dir, 'schemas');
  mkdirSync(schemas);
  for (const version of [1, 2]) {
    writeFileSync(join(schemas, `parcel_shipped.v${version}.json`), JSON.stringify({
      type: 'object', additionalProperties: false,
      properties: { EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: version }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' } },
    }));
  }
  writeFileSync(join(dir, name), source);
  return { dir, schemas, module: join(dir, name) };
}

/** `eventlake --schemas S --extensions M schemas list --json` through the binary: its exit code and parcel_shipped's upcast steps. */
function upcastSteps({ dir, schemas, module }: ReturnType<typeof commonJsScope>): { code: number | null; steps: unknown; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '--schemas', schemas, '--extensions', module, 'schemas', 'list', '--json'], { cwd: dir, encoding: 'utf8' });
  const rows = r.status === 0 ? r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; upcasters: number[] }) : [];
  return { code: r.status, steps: rows.find((row) => row.type === 'parcel_shipped')?.upcasters, stderr: r.stderr };
}

const UPCASTER = "{ type: 'parcel_shipped', fromVersion: 1, upcast: (e) => e }";
const test = suite('eventlake --extensions: a module outside a "type": "module" package (binary)');

test('a .ts module with named ES exports loads', () => {
  const r = upcastSteps(commonJsScope('eventlake.extensions.ts', `export const upcasters = [${UPCASTER}];\n`));
  assert.equal([r.code, r.steps], [0, [1]], r.stderr);
});

test('a .ts module importing eventlake and exporting defineExtensions as default loads', () => {
  const r = upcastSteps(commonJsScope('eventlake.extensions.ts', `import { defineExtensions } from '${INDEX}';\nexport default defineExtensions({ upcasters: [${UPCASTER}] });\n`));
  assert.equal([r.code, r.steps], [0, [1]], r.stderr);
});

test('a .js module with ES exports loads', () => {
  const r = upcastSteps(commonJsScope('eventlake.extensions.js', `export const upcasters = [${UPCASTER}];\n`));
  assert.equal([r.code, r.steps], [0, [1]], r.stderr);
});

test.run();
