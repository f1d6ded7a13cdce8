// Local raw SQL reads times in UTC, as Athena does, whatever the machine's TZ: DuckDB took the process's zone, and
// under America/Los_Angeles `CAST(to_timestamp(0) AS DATE)` was 1969-12-31 where Athena answers 1970-01-01.
// The CLI runs in a child, so TZ is set before DuckDB (and its ICU zone) is loaded.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('local query: DuckDB time zone');
const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));

function queryUnder(tz: string, dataDir: string, sql: string): string {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, 'query', sql, '--json'], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

test('under TZ=America/Los_Angeles, the date of epoch second 0 is 1970-01-01, as on Athena', async () => {
  const out = queryUnder('America/Los_Angeles', await emptyDataDir(), "SELECT CAST(CAST(to_timestamp(0) AS DATE) AS VARCHAR) AS d, current_setting('TimeZone') AS tz");
  assert.match(out, '1970-01-01');
  assert.match(out, 'UTC');
});

test.run();
