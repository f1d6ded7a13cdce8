// repairIndex: a lost or damaged index.db rebuilt from the objects on disk, every event once with its storage state,
// and every position stored outside the index dealt with, so dispatch, queries and rebuilds work as before.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rejects } from '../../support/async.ts';
import { listing } from '../../support/check-data-dir.ts';
import { corruptIndex, idsByPosition, indexRows, loseIndex, populatedDataDir } from '../../support/index-repair-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const dispatchCheckpoint = async (dir: string) => {
  const store = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    return await store.get('dispatch');
  } finally {
    store.close();
  }
};

const test = suite('repairIndex');

test('a lost index is rebuilt with every event once, at the location, class and restore state it had', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(indexRows(before.dir), before.rows);
  assert.is(report.eventsIndexed, before.rows.length);
  assert.ok(before.rows.some((r) => r.storage_class === 'GLACIER' && r.restore === 'RESTORED'), 'the fixture has a restored object');
  assert.ok(before.rows.some((r) => r.storage_class === 'GLACIER' && r.restore === 'NONE'), 'the fixture has an archived object');
  assert.ok(report.objectsRead.hot > 0 && report.objectsRead.restored === 1 && report.objectsRead.archived > 0, JSON.stringify(report.objectsRead));
  assert.equal([report.positions, report.replaced, report.oldIndexKeptAt], ['unknown', true, undefined]);
});

test('after the repair the data dir checks whole', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  await repairIndex(before.dir);
  const check = await checkLog(before.dir);
  assert.ok(check.whole, JSON.stringify(check.findings));
});

test('archived events take the first positions, and the dispatch checkpoint goes back to the last of them', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  const archived = before.rows.filter((r) => r.storage_class !== 'STANDARD').map((r) => r.id).sort();
  assert.equal(idsByPosition(before.dir).slice(0, archived.length).sort(), archived);
  assert.is(report.archivedThrough, archived.length);
  assert.equal(report.dispatchCheckpointsReset, [{ name: 'dispatch', before: before.dispatched, after: archived.length }]);
  assert.is(await dispatchCheckpoint(before.dir), archived.length);
});

test('the next drain re-dispatches every hot event, and that changes no balance', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  const local = await openLocalEventlake({ dataDir: before.dir });
  try {
    const caughtUp = await local.catchUp();
    assert.equal([caughtUp.indexed, caughtUp.dispatched, caughtUp.deadLettered], [0, before.rows.length - report.archivedThrough, 0]);
    assert.ok(caughtUp.dispatched > 0);
    assert.equal(await local.lake.balances(), before.balances);
  } finally {
    await local.close();
  }
});

test('snapshots are moved aside, not deleted, and reported, so no rebuild trusts an old high-water mark', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.is(report.snapshotsMoved, 1);
  assert.ok(report.snapshotsMovedTo && existsSync(join(report.snapshotsMovedTo, 'balances')));
  assert.ok(readdirSync(join(report.snapshotsMovedTo, 'balances')).some((n) => n.endsWith('.db')));
  assert.not.ok(existsSync(dataDirLayout(before.dir).snapshots));
});

test('queries, balances and a rebuild from the log work on the repaired index', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  await repairIndex(before.dir);
  const local = await openLocalEventlake({ dataDir: before.dir });
  try {
    const all = [];
    for await (const e of local.index.between({ from: 0, to: 2 ** 31 })) all.push(e);
    assert.is(all.length, before.rows.length);
    const hot = all.find((e) => e.storageClass === 'STANDARD')!;
    assert.equal(await local.log.read(hot.location).then((e) => e.EventTimeStamp), hot.timestamp);
    const account = hot.accounts[0]!;
    for await (const e of local.index.between({ from: 0, to: 2 ** 31, accounts: [account] })) assert.ok(e.accounts.includes(account));
    const coordinator = new RebuildCoordinator({ ...local, sleep: async () => {} }, local.projections);
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    assert.is(plan.snapshot, undefined, 'the old snapshot is not used');
    const built = await coordinator.rebuild(plan, { poll: { pollMs: 1, maxPollMs: 1 } });
    const check = await coordinator.verify('balances', built.generation, 'log');
    assert.ok(check.passed, JSON.stringify(check.differences));
    await coordinator.promote('balances', built.generation, [check]);
    assert.equal(await local.lake.balances(), before.balances);
  } finally {
    await local.close();
  }
});

test('batch objects get positions in journal order: without compaction the lost positions come back exactly', async () => {
  const before = await populatedDataDir({ compact: false });
  const positions = idsByPosition(before.dir);
  loseIndex(before.dir);
  await repairIndex(before.dir);
  assert.equal(idsByPosition(before.dir), positions);
});

test('a second repair finds the same index and changes nothing', async () => {
  const before = await populatedDataDir();
  loseIndex(before.dir);
  await repairIndex(before.dir);
  const snapshotOfDir = listing(before.dir);
  const again = await repairIndex(before.dir);
  assert.equal([again.replaced, again.positions, again.oldIndexKeptAt], [false, 'unchanged', undefined]);
  assert.equal([again.dispatchCheckpointsReset, again.rebuildsDropped, again.snapshotsMovedTo], [[], [], undefined]);
  // Outside the journal (whose checkpoint opening the log runs), not one file or folder is touched.
  const outsideJournal = (lines: string[]) => lines.filter((l) => !l.startsWith('journal'));
  assert.equal(outsideJournal(listing(before.dir)), outsideJournal(snapshotOfDir));
});

test('a damaged index.db is kept aside as index.db.damaged-<time>, not deleted', async () => {
  const before = await populatedDataDir();
  corruptIndex(before.dir);
  const damaged = readFileSync(dataDirLayout(before.dir).indexDb);
  const report = await repairIndex(before.dir, { now: () => Date.UTC(2026, 10, 26, 3, 4, 5) });
  assert.is(report.oldIndexKeptAt, `${dataDirLayout(before.dir).indexDb}.damaged-20261126T030405.000Z`);
  assert.equal(readFileSync(report.oldIndexKeptAt!), damaged);
  assert.equal([report.positions, report.eventsIndexed], ['unknown', before.rows.length]);
  assert.equal(indexRows(before.dir), before.rows);
});

test('a healthy index whose positions differ (compacted events go last) is replaced, kept aside, and positions reset', async () => {
  const before = await populatedDataDir();
  const report = await repairIndex(before.dir);
  assert.equal([report.positions, report.replaced], ['changed', true]);
  assert.ok(report.oldIndexKeptAt && existsSync(report.oldIndexKeptAt));
  assert.is(report.dispatchCheckpointsReset.length, 1);
  assert.equal(indexRows(before.dir), before.rows);
});

test('an unfinished rebuild (progress counted in old positions) is dropped and reported', async () => {
  const before = await populatedDataDir();
  const local = await openLocalEventlake({ dataDir: before.dir });
  let generation: number;
  try {
    const coordinator = new RebuildCoordinator({ ...local, sleep: async () => {} }, local.projections);
    generation = (await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { poll: { pollMs: 1, maxPollMs: 1 } })).generation;
  } finally {
    await local.close();
  }
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.rebuildsDropped, [{ projection: 'balances', generation }]);
  const store = new SqliteCheckpointStore(dataDirLayout(before.dir).dispatchDb);
  assert.is(await store.get(rebuildCheckpointName('balances')), 0);
  store.close();
});

test('an index.db another process holds open is refused with the fix named, and nothing changes', async () => {
  const before = await populatedDataDir();
  const other = new SqliteEventIndex(dataDirLayout(before.dir).indexDb);
  try {
    await other.count();
    const error = await rejects(() => repairIndex(before.dir), TransientError);
    assert.match(error.message, 'stop every process using the data dir first');
    assert.equal(indexRows(before.dir), before.rows);
    assert.is(await dispatchCheckpoint(before.dir), before.dispatched);
  } finally {
    other.close();
  }
});

test('a folder that is not a data dir is refused and nothing is created in it', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.txt'), 'not eventlake');
  const error = await rejects(() => repairIndex(dir), InvalidArgumentError);
  assert.match(error.message, 'is not an eventlake data dir');
  assert.equal(readdirSync(dir), ['notes.txt']);
  const missing = join(dir, 'nothing-here');
  await rejects(() => repairIndex(missing), InvalidArgumentError);
  assert.not.ok(existsSync(missing));
});

test.run();
