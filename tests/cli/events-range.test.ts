// `eventlake events --since A --until B` with B not after A: refused, not answered "(none)" as if no event were there.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('eventlake events: time range (CLI)');

test('an --until before --since exits 1 naming --until, both bounds and the fix', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-04-25', '--until', '2024-04-24']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --until: 2024-04-24 is not after --since 2024-04-25: the range is [--since, --until), so give an --until later than --since');
});

test('an --until equal to --since is refused too: the range excludes --until, so it holds nothing', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '1714000000', '--until', '1714000000']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --until: 1714000000 is not after --since 1714000000');
});

test('a range with --until after --since is answered, even when it holds no event', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-04-24', '--until', '2024-04-25']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test('a --since at the log\'s end (4102444801, which --since accepts) is answered with no event, not refused as ms', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '4102444801']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test.run();
