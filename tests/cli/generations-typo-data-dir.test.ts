// `generations drop` and `generations promote` on a --data-dir that is no data dir (a typo) are refused and create
// nothing there; they made an empty data dir at the mistyped path, then said the projection has no such generation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake generations on a mistyped --data-dir');

for (const words of [['drop', '2'], ['promote', '2']]) {
  test(`generations ${words[0]} is refused naming --data-dir and creates nothing`, async () => {
    const dir = join(tempDir(), 'typo');
    const r = await runCli(['--data-dir', dir, 'generations', ...words, '--projection', 'balances']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'INVALID_ARGUMENT: --data-dir');
    assert.not.ok(existsSync(dir));
  });
}

test.run();
