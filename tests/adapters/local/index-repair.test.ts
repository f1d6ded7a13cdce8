// repairIndex: a lost or damaged index.db rebuilt from the objects on disk, every event once with its storage state,
// and every position stored outside the index dealt with, so dispatch, queries and rebuilds work as before.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { JournalSegmentDeletedError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rejects } from '../../support/async.ts';
import { listing } from '../../support/check-data-dir.ts';
import { fixtureCopiesOf } from '../../support/fixture-copies.ts';
import { corruptIndex, dispatchCheckpoint, idsByPosition, indexRows, loseIndex, populatedDataDir } from '../../support/index-repair-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

/** A copy of one populated data dir (with every kind of object) per test, with what it held before. */
const populatedCopy = fixtureCopiesOf(() => populatedDataDir());

/** The log and a LocalIndexer on index.db, wired as openLocalEventlake wires them. */
async function openIndexer(dir: string) {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalReaders: () => index.cursor(INDEXER_CURSOR) });
  return { indexer: new LocalIndexer({ log, index }), close: async () => { await log.close(); index.close(); } };
}

const test = suite('repairIndex');

test('a lost index is rebuilt with every event once, at the location, class and restore state it had', async () => {
  const before = await populatedCopy();
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
  const before = await populatedCopy();
  loseIndex(before.dir);
  await repairIndex(before.dir);
  const check = await checkLog(before.dir);
  assert.ok(check.whole, JSON.stringify(check.findings));
});

test('archived events take the first positions, and the dispatch checkpoint goes back to the last of them', async () => {
  const before = await populatedCopy();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  const archived = before.rows.filter((r) => r.storage_class !== 'STANDARD').map((r) => r.id).sort();
  assert.equal(idsByPosition(before.dir).slice(0, archived.length).sort(), archived);
  assert.is(report.archivedThrough, archived.length);
  assert.equal(report.dispatchCheckpointsReset, [{ name: 'dispatch', before: before.dispatched, after: archived.length, archivedNotDispatched: 0 }]);
  assert.is(await dispatchCheckpoint(before.dir), archived.length);
});

test('the next drain re-dispatches every hot event, and that changes no balance', async () => {
  const before = await populatedCopy();
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
  const before = await populatedCopy();
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.is(report.snapshotsMoved, 1);
  assert.ok(report.snapshotsMovedTo && existsSync(join(report.snapshotsMovedTo, 'balances')));
  assert.ok(readdirSync(join(report.snapshotsMovedTo, 'balances')).some((n) => n.endsWith('.db')));
  assert.not.ok(existsSync(dataDirLayout(before.dir).snapshots));
});

test('queries, balances and a rebuild from the log work on the repaired index', async () => {
  const before = await populatedCopy();
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

test('an index lost after its journal segments were deleted (no catch-up can rebuild it) is rebuilt from the objects', async () => {
  const dir = tempDir();
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 300, journalReaders: () => index.cursor(INDEXER_CURSOR) });
  const events = generateEvents({ accounts: 2, days: 1, eventsPerDay: 8, start: Date.UTC(2024, 0, 1) / 1000, seed: 4 });
  for (const event of events) await log.append([event]);
  await new LocalIndexer({ log, index }).catchUp();
  await log.checkpoint(); // deletes the segments the indexer has passed
  await log.close();
  index.close();
  loseIndex(dir);
  const lost = await openIndexer(dir);
  const behind = await rejects(() => lost.indexer.catchUp(), JournalSegmentDeletedError);
  assert.match(behind.message, /eventlake repair index/, 'the indexer names the repair');
  await lost.close();
  loseIndex(dir);
  const report = await repairIndex(dir);
  assert.is(report.eventsIndexed, events.length);
  const repaired = await openIndexer(dir);
  assert.is((await repaired.indexer.catchUp()).indexed, 0);
  await repaired.close();
  assert.ok((await checkLog(dir)).whole);
});

test('a second repair finds the same index and changes nothing', async () => {
  const before = await populatedCopy();
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
  const before = await populatedCopy();
  corruptIndex(before.dir);
  const damaged = readFileSync(dataDirLayout(before.dir).indexDb);
  const report = await repairIndex(before.dir, { now: () => Date.UTC(2026, 10, 26, 3, 4, 5) });
  assert.is(report.oldIndexKeptAt, `${dataDirLayout(before.dir).indexDb}.damaged-20261126T030405.000Z`);
  assert.equal(readFileSync(report.oldIndexKeptAt!), damaged);
  assert.equal([report.positions, report.eventsIndexed], ['unknown', before.rows.length]);
  assert.equal(indexRows(before.dir), before.rows);
});

test('a healthy index whose positions differ (compacted events go last) is replaced, kept aside, and positions reset', async () => {
  const before = await populatedCopy();
  const report = await repairIndex(before.dir);
  assert.equal([report.positions, report.replaced], ['changed', true]);
  assert.ok(report.oldIndexKeptAt && existsSync(report.oldIndexKeptAt));
  assert.is(report.dispatchCheckpointsReset.length, 1);
  assert.equal(indexRows(before.dir), before.rows);
});

test('a rebuild beside the live generation (progress counted in old positions) is dropped and reported', async () => {
  const before = await populatedCopy();
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

test('every generation kept beside the live one is dropped, not only the last rebuild; the live one stays', async () => {
  const before = await populatedCopy();
  const local = await openLocalEventlake({ dataDir: before.dir });
  const kept: number[] = [];
  let live: number;
  try {
    const coordinator = new RebuildCoordinator({ ...local, sleep: async () => {} }, local.projections);
    for (let i = 0; i < 2; i++) {
      kept.push((await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { poll: { pollMs: 1, maxPollMs: 1 } })).generation);
    }
    live = await local.store.liveGeneration('balances');
  } finally {
    await local.close();
  }
  assert.is(new Set([...kept, live]).size, 3, 'two kept rebuilds beside the live generation');
  loseIndex(before.dir);
  const report = await repairIndex(before.dir);
  assert.equal(report.rebuildsDropped, kept.map((generation) => ({ projection: 'balances', generation })));
  const store = new SqliteProjectionStore(dataDirLayout(before.dir).projectionsDb);
  assert.equal(await store.listGenerations('balances'), [live]);
  store.close();
});

test.run();
