// repairIndex and the names of dispatch.db that are not dispatch checkpoints: the archive lease (a time) and the
// scheduled compaction's hour are never moved to a position, reported as reset, or warned about. Walkthrough: after
// `archive run`, `repair index` reported "dispatch checkpoint archive:lease: 0 -> 200" with a false warning.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { ArchiveLease, ARCHIVE_LEASE } from '../../../projections/archive-lease.ts';
import { COMPACTION_CHECKPOINT } from '../../../projections/compaction-schedule.ts';
import { runCli } from '../../security/cli-run.ts';
import { fixtureCopiesOf } from '../../support/fixture-copies.ts';
import { loseIndex, populatedDataDir } from '../../support/index-repair-data-dir.ts';

const test = suite('repairIndex and the archive lease');
/** A copy per test of one populated data dir (building it is most of each test's cost). */
const populated = fixtureCopiesOf(populatedDataDir);

/** Run `fn` on the data dir's dispatch.db checkpoints. */
async function withCheckpoints<T>(dir: string, fn: (store: SqliteCheckpointStore) => Promise<T>): Promise<T> {
  const store = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

test('after archive run, repair index reports no archive:lease checkpoint and warns about nothing', async () => {
  const { dir } = await populated();
  const archived = await runCli(['--data-dir', dir, 'archive', 'run']);
  assert.is(archived.code, 0, archived.stderr);
  loseIndex(dir);
  const r = await runCli(['--data-dir', dir, 'repair', 'index']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /dispatch checkpoint dispatch: /);
  assert.not.match(r.stdout, ARCHIVE_LEASE);
  assert.not.match(r.stdout, 'warning');
  assert.is(await withCheckpoints(dir, (s) => s.get(ARCHIVE_LEASE)), 0);
});

test('a released archive lease stays 0 and is not among the dispatch checkpoints reset', async () => {
  const before = await populated();
  await withCheckpoints(before.dir, async (s) => (await ArchiveLease.acquire(s)).release());
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.name), ['dispatch']);
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.archivedNotDispatched), [0]);
  assert.is(await withCheckpoints(before.dir, (s) => s.get(ARCHIVE_LEASE)), 0);
});

test('an archive lease left by a crashed run is cleared, as a rebuild lease is, and not reported', async () => {
  const before = await populated();
  await withCheckpoints(before.dir, (s) => s.set(ARCHIVE_LEASE, (Date.now() + 60_000) * 1000 + 7));
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.name), ['dispatch']);
  assert.is(await withCheckpoints(before.dir, (s) => s.get(ARCHIVE_LEASE)), 0);
});

test('the scheduled compaction\'s checkpoint keeps its hour and is not reported', async () => {
  const before = await populated();
  const hour = Date.UTC(2024, 0, 5) / 1000;
  await withCheckpoints(before.dir, (s) => s.set(COMPACTION_CHECKPOINT, hour));
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.dispatchCheckpointsReset.map((c) => c.name), ['dispatch']);
  assert.is(await withCheckpoints(before.dir, (s) => s.get(COMPACTION_CHECKPOINT)), hour);
});

test('a name eventlake does not write is still moved back as a dispatch checkpoint (a caller\'s own DispatchTail)', async () => {
  const before = await populated();
  await withCheckpoints(before.dir, (s) => s.set('webhooks', before.dispatched));
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  const webhooks = report.dispatchCheckpointsReset.find((c) => c.name === 'webhooks');
  assert.equal(webhooks?.before, before.dispatched);
  assert.is(await withCheckpoints(before.dir, (s) => s.get('webhooks')), webhooks!.after);
});

test.run();
