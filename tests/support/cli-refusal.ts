// One shape of CLI test: a bad flag value is refused as a typed error (exit 1) naming the flag and the fix, before the
// data dir is opened, so a typo neither creates nor recovers a data dir.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from './tmp.ts';

/** Run `eventlake --data-dir <a path not yet created> ...args` and assert the refusal: exit 1, `message` on stderr, nothing on stdout, no data dir. */
export async function assertRefusedBeforeOpen(args: readonly string[], message: string | RegExp): Promise<void> {
  const dataDir = join(tempDir(), 'lake');
  const r = await runCli(['--data-dir', dataDir, ...args]);
  assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.not.match(r.stderr, 'unexpected error');
  assert.is(r.stdout, '');
  assert.is(existsSync(dataDir), false, `${args.join(' ')} created the data dir`);
}
