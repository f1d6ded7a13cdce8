// `eventlake restore --days N`: a whole number of days >= 1, read by the shared wholeNumber; a value Number() would
// read (an exponent, blanks, hex, 2.0) is refused naming the option before the data dir is touched.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const restore = (dataDir: string, days: string) =>
  runCli(['--data-dir', dataDir, 'restore', '--since', '2024-01-01', '--until', '2024-01-02', '--days', days]);

test('a --days count Number() would read (exponent, blanks, hex, 2.0, empty) exits 1 naming --days, and no data dir is made', async () => {
  for (const days of ['1e1', ' 2', '2 ', '0x10', '2.0', '']) {
    const dataDir = join(tempDir(), 'absent');
    const r = await restore(dataDir, days);
    assert.is(r.code, 1, `${JSON.stringify(days)}: ${r.stderr}`);
    assert.match(r.stderr, `INVALID_ARGUMENT: --days: ${days || '""'} is not a whole number of days >= 1`);
    assert.not.ok(existsSync(dataDir), `${JSON.stringify(days)} made the data dir`);
  }
});

test('--days 0 and negative days are refused saying the least is 1', async () => {
  for (const days of ['0', '-1']) {
    const r = await restore(join(tempDir(), 'absent'), days);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `INVALID_ARGUMENT: --days: ${days} is not a whole number of days >= 1`);
  }
});

test('a whole number of days is taken: a range with no archived object says so and exits 0', async () => {
  const r = await restore(await emptyDataDir(), '7');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, 'no archived objects in that range');
});

test.run();
