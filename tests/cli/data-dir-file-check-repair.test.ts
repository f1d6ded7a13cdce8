// `check` and `repair` open no runtime, so they refuse a --data-dir that is a file themselves, in the CLI's words
// (--data-dir), as every other command does; `check` exits 2 (it could not check), the repairs 1.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const MESSAGE = 'is a file, not a folder; nothing was created: point --data-dir (or EVENTLAKE_DATA_DIR) at the folder eventlake writes to';

for (const [args, code] of [[['check'], 2], [['repair', 'index'], 1], [['repair', 'catalogue'], 1]] as const) {
  test(`${args.join(' ')} on a file is refused naming --data-dir, not the API's dataDir, and writes nothing`, async () => {
    const folder = tempDir();
    const file = join(folder, 'notes.txt');
    writeFileSync(file, 'mine');
    const r = await runCli(['--data-dir', file, ...args]);
    assert.is(r.code, code, r.stderr);
    assert.ok(r.stderr.includes(`eventlake: INVALID_ARGUMENT: --data-dir: ${file} ${MESSAGE}`), r.stderr);
    assert.equal(readdirSync(folder), ['notes.txt']);
  });
}

test.run();
