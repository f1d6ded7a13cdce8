// `eventlake --version` (and -V) prints the package's version and exits 0: the first line of a bug report. It does not
// take over a subcommand's own --version (`schemas show TYPE --version N`).

import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake --version (CLI)');
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

for (const flag of ['--version', '-V']) {
  test(`${flag} prints the version of package.json and exits 0`, async () => {
    const r = await runCli([flag]);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, `${version}\n`);
  });
}

test('a subcommand\'s own --version is left to it: schemas show TYPE --version 1 shows version 1', async () => {
  const r = await runCli(['schemas', 'show', 'cash_withdrawal', '--version', '1']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cash_withdrawal v1 /);
});

test.run();
