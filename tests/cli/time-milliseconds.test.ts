// Epoch milliseconds given where seconds are expected are refused with their value in seconds: `events --since
// 978307200000` read them as the year 32970 and printed (none), exit 0; 13 digits were "not a time", with no hint.
// An emitted EventTimeStamp in ms gets the envelope's "in seconds, not milliseconds" first, not the schema's bound.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('time flags: milliseconds (CLI and HTTP)');

test('events --since with 12 digits of ms exits 1 naming --since and the value in seconds', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '978307200000']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'INVALID_ARGUMENT: --since: "978307200000" looks like milliseconds: in seconds that is 978307200 (2001-01-01T00:00:00Z)');
});

test('GET /events?since= with ms is a 400 naming since, not []', () => withServer(async (app) => {
  const res = await app.inject({ method: 'GET', url: '/events?since=978307200000' });
  assert.is(res.statusCode, 400, res.body);
  assert.match(res.body, 'looks like milliseconds: in seconds that is 978307200');
}));

test('archive run --now with 13 digits of ms exits 1 naming --now and the value in seconds', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'archive', 'run', '--now', '1714000000000']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --now: "1714000000000" looks like milliseconds: in seconds that is 1714000000');
});

test('rebuild --from with 13 digits of ms exits 1 naming --from and the value in seconds', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'rebuild', '--projection', 'balances', '--from', '1714000000000', '--dry-run']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --from: "1714000000000" looks like milliseconds');
});

test('emit of an EventTimeStamp in ms reports "in seconds, not milliseconds" first, not the schema\'s bound', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, `${JSON.stringify({ ...SAMPLES['cash_deposit']!, EventTimeStamp: 1_714_000_000_000 })}\n`);
  const r = await runCli(['--data-dir', join(dir, 'lake'), 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /\n {2}\/EventTimeStamp: is 1714000000000, after 2100-01-01; .*in seconds, not milliseconds: 1714000000 for this one/);
  assert.not.match(r.stderr, '<= 4102444800');
});

test.run();
