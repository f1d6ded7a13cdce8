// `serve` and `run` take `--compact-after-hours` as `archive run` does: the same help text and default, and the same
// refusal of anything but a whole number >= 0, naming the option before the data dir is touched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseCompactAfterHours } from '../../cli/background-compaction.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const COMMANDS = [['serve'], ['run'], ['archive', 'run']];

/** The help of `argv` with its line wrapping undone. */
async function help(argv: readonly string[]): Promise<string> {
  const r = await runCli([...argv, '--help']);
  assert.is(r.code, 0, r.stderr);
  return r.stdout.replace(/\s+/g, ' ');
}

const test = suite('--compact-after-hours of serve and run');

test('serve, run and archive run document --compact-after-hours alike, 24 h by default', async () => {
  for (const argv of COMMANDS) {
    assert.match(await help(argv), '--compact-after-hours <n> compact an hour into segments once it ended this many hours ago (as on AWS) (default: "24")', argv.join(' '));
  }
});

test('serve and run say --compact-every compacts the hours --compact-after-hours names', async () => {
  for (const argv of [['serve'], ['run']]) assert.match(await help(argv), 'compact hours that ended --compact-after-hours ago in the background', argv.join(' '));
});

test('a --compact-after-hours that is not a whole number >= 0 makes each command exit 1 naming it, and no data dir is made', async () => {
  for (const argv of COMMANDS) {
    const dataDir = join(tempDir(), 'absent');
    const r = await runCli(['--data-dir', dataDir, ...argv, '--compact-after-hours', '-1']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'INVALID_ARGUMENT: --compact-after-hours: -1 is not a whole number of hours >= 0', argv.join(' '));
    assert.not.ok(existsSync(dataDir), `${argv.join(' ')} made the data dir`);
  }
});

test('--compact-after-hours takes whole hours from 0 and refuses fractions, words and empty text naming the option', () => {
  assert.equal(['0', '1', '48'].map(parseCompactAfterHours), [0, 1, 48]);
  for (const bad of ['-1', '1.5', 'daily', '']) {
    try {
      parseCompactAfterHours(bad);
      assert.unreachable(`${bad} was taken`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.match((error as Error).message, '--compact-after-hours');
    }
  }
});

test.run();
