// `eventlake check --target aws` refuses options that only mean something for a local data dir, before it opens anything.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli as cli } from '../security/cli-run.ts';

const test = suite('eventlake check --target aws options');

test('--temp-dir with --target aws is refused with exit 2, naming the option and the fix', async () => {
  const r = await cli(['--target', 'aws', 'check', '--temp-dir', '/tmp']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /--temp-dir: applies only to a local data dir/);
  assert.is(r.stdout, '');
});

test.run();
