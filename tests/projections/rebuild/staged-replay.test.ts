// A replay that is its generation's only writer (ReplayOptions.exclusive) commits each batch with its checkpoint
// through the store's staged replay writer, reading and staging a batch a chunk at a time; a refused commit is applied
// again batch by batch from the last checkpoint.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { StagedReplayRefusedError } from '../../../domain/errors.ts';
import { compareEvents, eventId } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import { foldEvents, type Projection } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import {
  DEFAULT_STAGED_BATCH, MAX_STAGED_BATCH, nextStagedBatchSize, QUICK_FLUSH_MS, readCheckpoint, replayTo, toJson, type RebuildCheckpoint, type ReplayOptions,
} from '../../../projections/rebuild/replay.ts';
import { stagedBatchTarget } from '../../../projections/rebuild/replay-batches.ts';
import { rejects } from '../../support/async.ts';
import { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import { newFaultStats, withFaults, type FaultPlan } from '../../support/faults.ts';
import { tempDir } from '../../support/tmp.ts';
import { withDataDir } from '../../support/emitted-data-dir.ts';

const test = suite('staged replay (replay.ts with ReplayOptions.exclusive)');
const START_S = 1_704_067_200;

const start = (): RebuildCheckpoint => ({
  planKey: 't', snapshotId: null, baseMark: 0, until: null, replayedThrough: 0, passTo: 0,
  cursorTs: null, cursorId: null, applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'replaying',
});

/** A memory lake holding `n` generated events beside a SQLite projection store, and the events in replay order. */
async function setUp(n: number, flushPlan: FaultPlan = { method: 'flush' }) {
  const lake = new MemoryLake();
  const events = generateEvents({ accounts: 4, days: 1, eventsPerDay: n, start: START_S, seed: 5 }).filter((e) => e.EventTimeStamp < START_S + 86_400).slice(0, n);
  await lake.ingest(events);
  const ordered = events.slice().sort((a, b) => compareEvents({ timestamp: a.EventTimeStamp, id: eventId(a) }, { timestamp: b.EventTimeStamp, id: eventId(b) }));
  const sqlite = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  const counts = { apply: newFaultStats(), flush: newFaultStats() };
  // Calls of apply and of the writer's flush are counted on the way in; `flushPlan` may fail some flushes.
  const store = withFaults(withFaults(sqlite, { method: 'apply' }, counts.apply), flushPlan, counts.flush);
  const generation = await store.createGeneration('balances');
  await store.setCheckpoint('balances', generation, toJson(start()));
  const run = (options: Partial<ReplayOptions> = {}) =>
    replayTo({ index: lake.index, store }, start(), n, { projection: balancesProjection, generation, reader: new EventReader(lake), exclusive: true, ...options });
  return { events: ordered, sqlite, store, generation, counts, run };
}

test('each batch commits once, with its checkpoint, and nothing goes through apply', async () => {
  const { events, sqlite, generation, counts, run } = await setUp(200);
  const cp = await run({ batchSize: 64 });
  assert.equal([counts.apply.calls, counts.flush.calls, cp.batches, cp.applied], [0, 4, 4, 200]);
  assert.equal(await sqlite.counters('balances', generation), foldEvents(balancesProjection, events).counters);
  assert.equal(await readCheckpoint({ store: sqlite }, 'balances', generation), cp);
  sqlite.close();
});

test('without exclusive, the same replay applies and checkpoints each batch (a live generation, or a store without a writer)', async () => {
  const { events, sqlite, generation, counts, run } = await setUp(200);
  const cp = await run({ batchSize: 64, exclusive: false });
  assert.equal([counts.apply.calls, counts.flush.calls, cp.batches], [4, 0, 4]);
  assert.equal(await sqlite.counters('balances', generation), foldEvents(balancesProjection, events).counters);
  sqlite.close();
});

test('a batch is read and staged a chunk at a time, and a rule that throws keeps the chunks before it, checkpointed', async () => {
  const { events, sqlite, generation, run } = await setUp(200);
  const bad = events[130]!;
  const throwing: Projection = {
    ...balancesProjection,
    decide: (event, related) => {
      if (eventId(event) === eventId(bad)) throw new Error('rule bug');
      return balancesProjection.decide(event, related);
    },
  };
  // Batches of 100 in chunks of 25: the bad event is in the second batch's second chunk (events 125-149).
  const error = await rejects(() => run({ projection: throwing, batchSize: 100, stagedChunk: 25 }), ProjectionRuleError);
  assert.is(error.eventId, eventId(bad));
  const cp = (await readCheckpoint({ store: sqlite }, 'balances', generation))!;
  assert.equal([cp.applied, cp.batches, cp.cursorId], [125, 2, eventId(events[124]!)]);
  assert.equal(await sqlite.counters('balances', generation), foldEvents(balancesProjection, events.slice(0, 125)).counters);
  sqlite.close();
});

test('a refused commit is applied again batch by batch from the last checkpoint, and the replay ends as the fold', async () => {
  const { events, sqlite, generation, counts, run } = await setUp(200, { method: 'flush', failOnCalls: [2], error: () => new StagedReplayRefusedError('injected') });
  const cp = await run({ batchSize: 64 });
  // The first batch committed staged; the second was refused and it and the rest were applied (64, 64, 8).
  assert.equal([counts.flush.calls, counts.apply.calls, cp.applied, cp.duplicates], [2, 3, 200, 0]);
  assert.equal(await sqlite.readState('balances', generation), foldEvents(balancesProjection, events));
  sqlite.close();
});

test('any other failed commit stops the replay at its last checkpoint, as a failed apply does', async () => {
  const { sqlite, generation, run } = await setUp(200, { method: 'flush', failOnCalls: [3] });
  await rejects(() => run({ batchSize: 64 }), Error);
  assert.equal((await readCheckpoint({ store: sqlite }, 'balances', generation))?.applied, 128);
  sqlite.close();
});

test('a staged batch lets the event loop turn after each chunk (signals, heartbeats), though its store never waits', async () => {
  const { sqlite, run } = await setUp(200);
  let turns = 0;
  let watching = true;
  const watch = () => { if (watching) { turns++; setImmediate(watch); } };
  setImmediate(watch);
  await run({ batchSize: 200, stagedChunk: 10 });
  watching = false;
  // 20 chunks of one batch, a full turn each (the memory lake's reads and SQLite's writes never leave the microtasks).
  assert.ok(turns >= 20, `${turns} turns`);
  sqlite.close();
});

/** A rebuild from nothing of the scenario's balances into a SQLite store whose writer's flushes obey `plan`, then verified against the log. */
async function rebuildAndVerify(plan: FaultPlan) {
  const { lake } = await buildScenario();
  const sqlite = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  try {
    const coordinator = new RebuildCoordinator({ ...lake, store: withFaults(sqlite, plan) }, lake.projections);
    const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 50 });
    return await coordinator.verify('balances', built.generation, 'log');
  } finally {
    sqlite.close();
  }
}

test('a fresh rebuild with staged commits is verified from its replay\'s own fold', async () => {
  const check = await rebuildAndVerify({ method: 'flush' });
  assert.ok(check.passed);
  assert.match(check.reference, "as the rebuild's replay read it");
});

// The refused span is read twice, so the replay's fold no longer stands for one read of the log.
test('a fresh rebuild whose commit was refused is verified by reading the log again, and passes', async () => {
  const check = await rebuildAndVerify({ method: 'flush', failOnCalls: [2], error: () => new StagedReplayRefusedError('injected') });
  assert.ok(check.passed);
  assert.not.match(check.reference, "as the rebuild's replay read it");
});

test('a staged batch doubles while its commit takes under QUICK_FLUSH_MS, up to MAX_STAGED_BATCH and never past it', () => {
  assert.is(nextStagedBatchSize(65_536, QUICK_FLUSH_MS - 1), 131_072);
  assert.is(nextStagedBatchSize(MAX_STAGED_BATCH, 10), MAX_STAGED_BATCH);
  assert.is(nextStagedBatchSize(MAX_STAGED_BATCH / 2 + 1, 10), MAX_STAGED_BATCH);
  assert.is(nextStagedBatchSize(131_072, QUICK_FLUSH_MS), 131_072);
});

test('a staged batch takes the rest of its pass when that is at most half a batch more, and stops at its size otherwise', () => {
  assert.is(stagedBatchTarget(65_536, 65_536 * 1.5), 98_304);
  assert.is(stagedBatchTarget(65_536, 65_536 * 1.5 + 1), 65_536);
  assert.is(stagedBatchTarget(262_144, 17_000), 17_000);
});

// The tail's own commit would rewrite the key tree again for a few keys: with adaptive batches it joins the batch before.
test('an adaptive staged replay of a batch and a short tail commits once', async () => {
  const n = DEFAULT_STAGED_BATCH + 5_000;
  const events = generateEvents({ accounts: 20, days: 1, eventsPerDay: n, start: START_S, seed: 9 }).slice(0, n);
  await withDataDir(join(tempDir(), 'lake'), async (local) => {
    // Stored and indexed, not dispatched: only the replay's commits matter here.
    await local.log.append(events);
    await local.catchUpIndex!();
    const flushes = newFaultStats();
    const store = withFaults(local.store, { method: 'flush' }, flushes);
    const generation = await store.createGeneration('balances');
    const mark = await local.index.lastPosition();
    const cp = await replayTo({ index: local.index, store }, start(), mark, { projection: balancesProjection, generation, reader: new EventReader(local), exclusive: true });
    assert.equal([flushes.calls, cp.batches, cp.applied], [1, 1, n]);
    assert.equal(await local.store.counters('balances', generation), foldEvents(balancesProjection, events).counters);
  });
});

test.run();
