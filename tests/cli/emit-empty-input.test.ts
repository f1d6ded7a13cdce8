// `eventlake emit` of an input that holds no events: exit 0 (a pipeline may have nothing to send), a note on stderr
// saying nothing was written, and no data dir created.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake emit: empty input');

for (const [name, text] of [['an empty file', ''], ['an empty JSON array', '[]'], ['blank lines', '\n\n  \n']] as const) {
  test(`${name} writes nothing, says so on stderr and exits 0`, async () => {
    const dir = tempDir();
    const file = join(dir, 'events.json');
    writeFileSync(file, text);
    const dataDir = join(dir, 'lake');
    const r = await runCli(['--data-dir', dataDir, 'emit', file]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, `no events in ${file}; nothing was written`);
    assert.is(r.stdout, '');
    assert.not.ok(existsSync(dataDir), 'no data dir is created');
  });
}

test.run();
