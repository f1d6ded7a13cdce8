// The CLI refuses a data dir given empty or starting with ~, creating nothing: the CLI resolves the path before
// openLocalEventlake sees it, so `EVENTLAKE_DATA_DIR=` made the current folder a data dir and `--data-dir=~/lake`
// (bash expands no ~ after `=`) made a folder named ~ there.

import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake --data-dir / EVENTLAKE_DATA_DIR: empty or ~');

/** Run `argv` in a new empty current folder with EVENTLAKE_DATA_DIR set to `envValue` (undefined: unset). */
async function inEmptyFolder(argv: string[], envValue: string | undefined) {
  const cwd = tempDir();
  const [before, saved] = [process.cwd(), process.env['EVENTLAKE_DATA_DIR']];
  process.chdir(cwd);
  if (envValue === undefined) delete process.env['EVENTLAKE_DATA_DIR'];
  else process.env['EVENTLAKE_DATA_DIR'] = envValue;
  try {
    return { ...(await runCli(argv)), made: readdirSync(cwd) };
  } finally {
    process.chdir(before);
    if (saved === undefined) delete process.env['EVENTLAKE_DATA_DIR'];
    else process.env['EVENTLAKE_DATA_DIR'] = saved;
  }
}

const REFUSED: [rule: string, argv: string[], env: string | undefined, message: string][] = [
  ['an empty EVENTLAKE_DATA_DIR is refused by name, and the current folder does not become a data dir', [], '', 'EVENTLAKE_DATA_DIR: is empty, which would make the current folder'],
  ['an empty --data-dir is refused by name', ['--data-dir='], undefined, '--data-dir: is empty'],
  ['--data-dir=~/lake is refused naming $HOME as the fix, and no folder named ~ is made', ['--data-dir=~/lake'], undefined, '--data-dir: ~/lake starts with ~, which only a shell expands'],
  ['EVENTLAKE_DATA_DIR=~/lake is refused by name', [], '~/lake', 'EVENTLAKE_DATA_DIR: ~/lake starts with ~'],
];

for (const [rule, argv, env, message] of REFUSED) {
  test(rule, async () => {
    const r = await inEmptyFolder([...argv, 'snapshot', 'take'], env);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: ${message}`);
    if (message.includes('~')) assert.match(r.stderr, 'write $HOME instead');
    assert.equal(r.made, []);
  });
}

test('a ./~ path is a folder named ~, as asked', async () => {
  const r = await inEmptyFolder(['--data-dir', './~/lake', 'snapshot', 'take'], undefined);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.made, ['~']);
});

test.run();
