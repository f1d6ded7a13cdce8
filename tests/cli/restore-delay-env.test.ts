// EVENTLAKE_RESTORE_DELAY_MS (the local archive tier's simulated restore delay) is a whole number of milliseconds:
// anything else is refused before the data dir is opened. It was read with Number(), so a typo became NaN and a
// restore requested with it stayed RESTORING until requested again.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('EVENTLAKE_RESTORE_DELAY_MS (CLI)');

async function withDelay<T>(value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env['EVENTLAKE_RESTORE_DELAY_MS'];
  process.env['EVENTLAKE_RESTORE_DELAY_MS'] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['EVENTLAKE_RESTORE_DELAY_MS'];
    else process.env['EVENTLAKE_RESTORE_DELAY_MS'] = before;
  }
}

for (const bad of ['abc', '2s', '-1', '1.5']) {
  test(`"${bad}" exits 1 naming the variable and what to set`, async () => {
    const dataDir = await emptyDataDir();
    const r = await withDelay(bad, () => runCli(['--data-dir', dataDir, 'restore', 'status']));
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: EVENTLAKE_RESTORE_DELAY_MS: "${bad}" is not a whole number of milliseconds: set it to e.g. 2000, or unset it (local restores then complete at once)`);
  });
}

test('a whole number of milliseconds is taken', async () => {
  const dataDir = await emptyDataDir();
  const r = await withDelay('2000', () => runCli(['--data-dir', dataDir, 'restore', 'status']));
  assert.is(r.code, 0, r.stderr);
});

test.run();
