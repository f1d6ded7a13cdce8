// An EventTimeStamp too far ahead is refused giving the latest time allowed: "no later than 86400 s after now
// (1795777628)" read as if now were the limit.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit: an EventTimeStamp in the future');

test('emit of an event dated 2 days ahead names the latest time allowed, now + 86400 s', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.ndjson');
  const now = Math.floor(Date.now() / 1000);
  writeFileSync(file, `${JSON.stringify({ ...SAMPLES['cash_deposit']!, EventTimeStamp: now + 172_800 })}\n`);
  const r = await runCli(['--data-dir', join(dir, 'lake'), 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  const latest = /expected epoch seconds no later than (\d+) \(now \+ 86400 s\)/.exec(r.stderr);
  assert.ok(latest, r.stderr);
  assert.ok(Math.abs(Number(latest[1]) - (now + 86_400)) <= 2, r.stderr);
});

test.run();
