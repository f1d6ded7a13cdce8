// Options that set a timer's delay refuse one longer than Node's timers wait (2^31-1 ms): a longer one fired after
// 1 ms, so `run --interval 3000000000` or `--compact-every 40000` ran catch-ups or compactions back to back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { MAX_COMPACT_EVERY_MINUTES, parseCompactEvery } from '../../cli/background-compaction.ts';
import { parsePollInterval } from '../../cli/commands/rebuild-remote.ts';
import { parseInterval, registerRunCommand } from '../../cli/commands/run.ts';
import { registerServeCommand } from '../../cli/commands/serve.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { LONGEST_TIMER_MS } from '../../projections/longest-timer.ts';
import { rejects } from '../support/async.ts';
import { thrown } from '../support/thrown.ts';

/** Run `eventlake ARGS` (run and serve registered) and expect its refusal; fails the test if the data dir was opened. */
async function refusedBeforeOpen(args: readonly string[]): Promise<InvalidArgumentError> {
  let opened = false;
  const program = new Command('eventlake').option('--data-dir <dir>').exitOverride();
  const open = async (): Promise<LocalEventlake> => { opened = true; throw new Error('opened'); };
  registerRunCommand(program, open);
  registerServeCommand(program, open);
  const error = await rejects(() => program.parseAsync(args, { from: 'user' }), InvalidArgumentError);
  assert.not.ok(opened, `${args.join(' ')} opened the data dir`);
  return error;
}

const test = suite('timer option caps');

test('--interval takes up to 2147483647 ms and refuses more naming the flag, its maximum and the fix', () => {
  assert.is(parseInterval(String(LONGEST_TIMER_MS)), LONGEST_TIMER_MS);
  for (const text of ['2147483648', '3000000000', '99999999999999999999']) {
    assert.is(thrown(() => parseInterval(text), InvalidArgumentError).message,
      `--interval: ${text} ms is longer than a timer can wait (at most 2147483647 ms, about 24 days): give --interval 2147483647 or less, e.g. --interval 250`);
  }
});

test('--compact-every takes up to 35791 minutes and refuses more naming the flag, its maximum and the fix', () => {
  assert.is(MAX_COMPACT_EVERY_MINUTES, 35_791);
  assert.is(parseCompactEvery('35791'), 35_791 * 60_000);
  for (const text of ['35792', '40000']) {
    assert.is(thrown(() => parseCompactEvery(text), InvalidArgumentError).message,
      `--compact-every: ${text} minutes is longer than a timer can wait (at most 35791 minutes, about 24 days): give --compact-every 35791 or less, or 0 to compact only with eventlake archive run`);
  }
});

test('run and serve refuse a too long --interval or --compact-every before the data dir is opened', async () => {
  for (const args of [['run', '--interval', '3000000000'], ['run', '--compact-every', '40000'], ['serve', '--compact-every', '40000']]) {
    assert.match((await refusedBeforeOpen(args)).message, `${args[1]}: ${args[2]} `, args.join(' '));
  }
});

test('rebuild --remote --poll-interval takes up to 2147483 s and refuses more naming the flag, its maximum and the fix', () => {
  assert.is(parsePollInterval('2147483'), 2_147_483_000);
  assert.is(thrown(() => parsePollInterval('2147484'), InvalidArgumentError).message,
    '--poll-interval: 2147484 seconds is longer than a timer can wait (at most 2147483 s, about 24 days): give --poll-interval 2147483 or less, e.g. the default 300');
});

test.run();
