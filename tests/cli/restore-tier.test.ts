// `eventlake restore --tier`: a bad tier is a bad option value (exit 1, INVALID_ARGUMENT naming --tier), as for
// `rebuild --restore-tier`; commander's choices made it a usage error (exit 2 and the whole help). Any case is taken.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const test = suite('eventlake restore --tier (CLI)');

test('an unknown tier exits 1 naming --tier, the tiers and an example', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'restore', '--keys', 'events/year=2024/month=04/day=24/hour=23/segment.ndjson', '--tier', 'Fast']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'eventlake: INVALID_ARGUMENT: --tier: "Fast" is not one of Expedited, Standard, Bulk, e.g. --tier Bulk\n');
});

test('a tier in another case is taken', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'restore', '--since', '2024-04-01', '--until', '2024-05-01', '--tier', 'bulk']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, 'eventlake: no archived objects in that range\n');
});

test.run();
