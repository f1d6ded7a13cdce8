// --read-only where it cannot mean what it says is refused, naming the flag, rather than ignored: the demo writes a
// lake of its own, and a deployed stack is not a data dir this process could open read-only.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as local from '../../adapters/local/index.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('--read-only refusals');

test('demo --read-only is refused, naming the flag, and writes nothing', async () => {
  const dir = join(tempDir('ro-demo'), 'lake');
  const r = await runCli(['--read-only', 'demo', '--data-dir', dir, '--days', '2']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, '--read-only: the demo writes a new data dir of its own');
  assert.not.ok(existsSync(dir) && readdirSync(dir).length > 0, 'the demo wrote into its data dir');
});

test('--read-only with --target aws is refused, naming the flag, before any AWS call', async () => {
  const env = { EVENTLAKE_BUCKET: 'b', EVENTLAKE_INDEX_TABLE: 'i', EVENTLAKE_CONTROL_TABLE: 'c', AWS_REGION: 'eu-west-1' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const r = await runCli(['--read-only', '--target', 'aws', 'status']).finally(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  });
  assert.is.not(r.code, 0);
  assert.match(r.stderr, '--read-only: opens a local data dir read-only; a deployed stack (--target aws) is not opened that way');
});

test('openReadOnlyLocalEventlake is part of eventlake/local', () => {
  assert.type(local.openReadOnlyLocalEventlake, 'function');
});

test.run();
