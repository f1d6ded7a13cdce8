// `eventlake demo` (npm start) and a data dir it cannot use: refused before anything is printed, and the data dir is
// printed only once it opened, so the report never names a data dir the demo did not run in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from '../../cli/demo.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake demo: a data dir it cannot use');

test('demo --data-dir FILE is refused naming --data-dir and the file, with nothing printed and the file left as it was', async () => {
  const file = join(tempDir(), 'notes.txt');
  writeFileSync(file, 'mine');
  const r = await runCli(['demo', '--data-dir', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: --data-dir: ${file} is a file, not a folder`);
  assert.not.match(r.stderr, '{ dataDir');
  assert.is(r.stdout, '');
  assert.is(readFileSync(file, 'utf8'), 'mine');
});

test('the data dir is not printed when opening it fails', async () => {
  const lines: string[] = [];
  const failing = () => Promise.reject(new InvalidArgumentError('dataDir', 'cannot be opened'));
  const run = runDemo(failing, { accounts: 2, days: 8, eventsPerDay: 1, dataDir: join(tempDir(), 'lake') }, { write: (s: string) => lines.push(s) });
  await run.then(() => assert.unreachable('the demo ran without its data dir'), (e: unknown) => assert.instance(e, InvalidArgumentError));
  assert.not.match(lines.join(''), 'data dir:');
});

test.run();
