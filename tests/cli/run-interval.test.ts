// `eventlake run --interval`: a value that is not a whole number of milliseconds is refused naming the flag (it used
// to fall back to 250 ms in silence), before the data dir is opened.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake run --interval (CLI)');

test('an --interval that is not a whole number of milliseconds exits 1 naming --interval, no data dir created', async () => {
  for (const bad of ['abc', '1s', '-5', '2.5']) {
    const dataDir = join(tempDir(), 'lake');
    const r = await runCli(['--data-dir', dataDir, 'run', '--interval', bad]);
    assert.is(r.code, 1, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, `INVALID_ARGUMENT: --interval: ${bad} is not a whole number of milliseconds, e.g. --interval 250`);
    assert.is(existsSync(dataDir), false, bad);
  }
});

test.run();
