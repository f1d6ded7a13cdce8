// A time that chooses a snapshot keeps its milliseconds: snapshots are taken at ms times, and the `takenAt` that
// `eventlake snapshot list` prints, pasted into --snapshot-at or --from, chooses that snapshot. Walkthrough: it was
// cut to its second, which is before the snapshot ("no snapshot of balances at or before …27.000Z").

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { parseTime, parseTimeMs } from '../../cli/time.ts';
import { planRebuild } from '../../projections/rebuild/plan.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('times with milliseconds that choose a snapshot');

const TAKEN_AT = '2026-11-27T08:17:27.114Z';
const JUST_BEFORE = '2026-11-27T08:17:27.113Z';

const dataDir = await emittedDataDir([SAMPLES['cash_deposit']!]);
const snapshot: SnapshotInfo = await (async () => {
  const local = await openLocalEventlake({ dataDir, now: () => Date.parse(TAKEN_AT) });
  try {
    return await local.snapshots.take('balances', await local.store.liveGeneration('balances'), await local.dispatchedPosition());
  } finally {
    await local.close();
  }
})();

async function planFrom(from: string) {
  const local = await openLocalEventlake({ dataDir });
  try {
    return await planRebuild(local, { projection: 'balances', from: parseTimeMs('--from', from) });
  } finally {
    await local.close();
  }
}

test('verify --snapshot-at the takenAt that snapshot list prints compares with that snapshot', async () => {
  const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'snapshot', '--snapshot-at', TAKEN_AT, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, snapshot.id);
});

test('verify --snapshot-at one ms before the snapshot finds none at or before it', async () => {
  const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'snapshot', '--snapshot-at', JUST_BEFORE]);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, `--snapshot-at: no snapshot of balances was taken at or before ${JUST_BEFORE}`);
});

test('a rebuild plan --from the snapshot\'s takenAt starts from that snapshot, with no warning', async () => {
  const plan = await planFrom(TAKEN_AT);
  assert.is(plan.snapshot?.id, snapshot.id);
  assert.equal(plan.warnings, []);
});

test('a rebuild plan --from one ms before the snapshot starts from an empty projection', async () => {
  const plan = await planFrom(JUST_BEFORE);
  assert.is(plan.snapshot, undefined);
  assert.match(plan.warnings.join('\n'), `no snapshot of balances at or before ${JUST_BEFORE}`);
});

/** `eventlake rebuild --dry-run --json`'s plan: the CLI's own --from parsing (cli/commands/rebuild.ts parseFrom). */
async function dryRunPlan(from: string): Promise<{ snapshot?: SnapshotInfo; warnings: string[] }> {
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', from, '--dry-run', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim()).plan;
}

test('eventlake rebuild --from the snapshot\'s takenAt plans from that snapshot, with no warning', async () => {
  const plan = await dryRunPlan(TAKEN_AT);
  assert.is(plan.snapshot?.id, snapshot.id);
  assert.equal(plan.warnings, []);
});

test('eventlake rebuild --from one ms before the snapshot plans from an empty projection, naming that time', async () => {
  const plan = await dryRunPlan(JUST_BEFORE);
  assert.is(plan.snapshot, undefined);
  assert.match(plan.warnings.join('\n'), `no snapshot of balances at or before ${JUST_BEFORE}`);
});

test('epoch seconds and ISO times without a fraction are whole seconds in ms', () => {
  assert.equal([parseTimeMs('--from', '1795767447'), parseTimeMs('--from', '2026-11-27T08:17:27Z'), parseTimeMs('--from', '2026-11-27')],
    [1_795_767_447_000, 1_795_767_447_000, Date.UTC(2026, 10, 27)]);
});

test('event times stay whole seconds: parseTime rounds the milliseconds up to the next second', () => {
  assert.is(parseTime('--until', TAKEN_AT), 1_795_767_448);
});

test.run();
