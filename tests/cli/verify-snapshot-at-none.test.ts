// `verify --against snapshot` with no snapshot to compare names the option that chose none and what to do instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('verify --against snapshot without a snapshot');

test('--snapshot-at before every snapshot names --snapshot-at, the oldest snapshot and the fixes', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  assert.is((await runCli(['--data-dir', dir, 'snapshot', 'take'])).code, 0);
  const r = await runCli(['--data-dir', dir, 'verify', '--projection', 'balances', '--against', 'snapshot', '--snapshot-at', '2020-01-01']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --snapshot-at: no snapshot of balances was taken at or before 2020-01-01T00:00:00.000Z (the oldest was taken at ');
  assert.match(r.stderr, `eventlake --data-dir ${dir} snapshot list shows them): give a time at or after it, leave the time out for the newest, or verify against the log`);
});

test('with no snapshot taken at all, it says to take one first or verify against the log', async () => {
  const dir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  const r = await runCli(['--data-dir', dir, 'verify', '--projection', 'balances', '--against', 'snapshot']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: --against: no snapshot of balances is taken yet to verify against: take one first (eventlake --data-dir ${dir} snapshot take), or verify against the log`);
});

test.run();
