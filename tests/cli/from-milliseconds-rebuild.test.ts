// `eventlake rebuild --from` keeps the milliseconds of the time given: the takenAt that `eventlake snapshot list`
// prints starts the rebuild from that snapshot. Walkthrough: --from …27.114Z was cut to …27.000Z and warned "no snapshot
// of balances at or before 2026-11-27T08:17:27.000Z: starting from an empty projection".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('eventlake rebuild --from with milliseconds');

const TAKEN_AT = '2026-11-27T08:17:27.114Z';

const dataDir = await emittedDataDir([SAMPLES['cash_deposit']!]);
const snapshot: SnapshotInfo = await (async () => {
  const local = await openLocalEventlake({ dataDir, now: () => Date.parse(TAKEN_AT) });
  try {
    return await local.snapshots.take('balances', await local.store.liveGeneration('balances'), await local.dispatchedPosition());
  } finally {
    await local.close();
  }
})();

async function dryRunPlan(from: string): Promise<{ snapshot?: SnapshotInfo; warnings: string[] }> {
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', from, '--dry-run', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim()).plan;
}

test('--from the snapshot\'s takenAt plans from that snapshot, with no warning', async () => {
  const plan = await dryRunPlan(TAKEN_AT);
  assert.is(plan.snapshot?.id, snapshot.id);
  assert.equal(plan.warnings, []);
});

test('--from one ms before the snapshot plans from an empty projection, naming that time', async () => {
  const plan = await dryRunPlan('2026-11-27T08:17:27.113Z');
  assert.is(plan.snapshot, undefined);
  assert.match(plan.warnings.join('\n'), 'no snapshot of balances at or before 2026-11-27T08:17:27.113Z');
});

test.run();
