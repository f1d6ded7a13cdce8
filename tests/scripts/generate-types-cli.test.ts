// scripts/generate-types.ts as a command: it runs when started through a link, and a wrong folder is a typed error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTypes } from '../../scripts/generate-types.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCHEMAS = join(ROOT, 'examples/outgoing-payment/schemas');
const run = (script: string, args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, encoding: 'utf8' });

const test = suite('generate-types command');

test('started through node_modules/eventlake (the link `npm install <path>` makes), it writes the types', () => {
  const app = tempDir();
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(ROOT, join(app, 'node_modules/eventlake'), 'dir');
  const out = join(app, 'types.generated.ts');
  const r = run(join(app, 'node_modules/eventlake/scripts/generate-types.ts'), [SCHEMAS, '--out', out]);
  assert.is(r.status, 0, r.stderr);
  assert.ok(existsSync(out), `nothing written; stdout: ${r.stdout}`);
  assert.is(readFileSync(out, 'utf8'), generateTypes(SCHEMAS, out));
});

test('a schema folder that does not exist exits 1 with INVALID_ARGUMENT naming the folder and the fix, no stack trace', () => {
  const missing = join(tempDir(), 'no-such-schemas');
  const r = run('scripts/generate-types.ts', [missing, '--out', join(tempDir(), 'x.ts')]);
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.includes('INVALID_ARGUMENT') && r.stderr.includes(missing) && r.stderr.includes('.v<N>.json'), r.stderr);
  assert.not.ok(/\n\s+at /.test(r.stderr), r.stderr);
});

test.run();
