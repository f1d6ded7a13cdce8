// `archive run --glacier-after-days N --deep-archive-after-days N`: a bad value is refused saying what it must be, a
// whole number of days >= 0, before the data dir is touched; 0 is a policy (an hour moves at the first run).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

for (const option of ['--glacier-after-days', '--deep-archive-after-days']) {
  test(`a negative ${option} exits 1 saying it must be a whole number of days >= 0`, async () => {
    const r = await runCli(['--data-dir', join(tempDir(), 'absent'), 'archive', 'run', option, '-1']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: ${option}: -1 is not a whole number of days >= 0`);
  });
}

test('a day count Number() would read (blank, exponent, hex, 1.0) is refused like any other non-number', async () => {
  for (const value of [' ', '1e1', '0x10', '1.0', '2.5']) {
    const r = await runCli(['--data-dir', join(tempDir(), 'absent'), 'archive', 'run', '--glacier-after-days', value]);
    assert.is(r.code, 1, `${JSON.stringify(value)}: ${r.stderr}`);
    assert.match(r.stderr, `INVALID_ARGUMENT: --glacier-after-days: ${value} is not a whole number of days >= 0`);
  }
});

test('0 days for both classes is a policy: the run exits 0 and reports it', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'archive', 'run', '--glacier-after-days', '0', '--deep-archive-after-days', '0', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { policy: unknown }).policy, { glacierAfterDays: 0, deepArchiveAfterDays: 0 });
});

test.run();
