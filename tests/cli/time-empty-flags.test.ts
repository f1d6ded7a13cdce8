// `rebuild --until ""` and `verify --snapshot-at ""` (an unset shell variable) are refused naming the flag, as every
// other time flag's "" is: read as no flag, the first ran a full rebuild that promotes instead of a historical view.
// And `rebuild --until 0` names --until and says why it is refused, not "0 is not an epoch-ms time".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('time flags: empty values and 0');

const dataDir = await emittedDataDir([SAMPLES['cash_deposit']!]);

test('rebuild --until "" exits 1 naming --until, and rebuilds nothing', async () => {
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0', '--until', '']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'INVALID_ARGUMENT: --until: "" is neither epoch seconds nor an ISO-8601 time');
});

test('verify --snapshot-at "" exits 1 naming --snapshot-at', async () => {
  const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'snapshot', '--snapshot-at', '']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --snapshot-at: "" is neither epoch seconds nor an ISO-8601 time');
});

test('rebuild --until 0 exits 1 naming --until and the log\'s start, not "not an epoch-ms time"', async () => {
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0', '--until', '0', '--dry-run']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --until: 0 is 1970-01-01T00:00:00Z, the log\'s start: no event is before it');
});

test.run();
