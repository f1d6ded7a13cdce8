// `eventlake validate` of an input that holds no events says so on stderr (as emit does) and exits 0; it printed
// "(none)" on stdout, which reads as "none of them valid".

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake validate: empty input');

test('an empty file prints nothing on stdout, says so on stderr and exits 0', async () => {
  const file = join(tempDir(), 'events.json');
  writeFileSync(file, '[]');
  const r = await runCli(['validate', file]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr, `eventlake: no events in ${file}; nothing to validate\n`);
});

test.run();
