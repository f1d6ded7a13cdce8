import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError, SchemaValidationError, UnknownSchemaVersionError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { compareEvents, eventId, eventKey, serializeEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import { DEFAULT_REPLAY_BATCH, MAX_REPLAY_BATCH, nextBatchSize, QUICK_BATCH_MS, readCheckpoint, replayTo, toJson, type RebuildCheckpoint } from '../../../projections/rebuild/replay.ts';
import { rejects } from '../../support/async.ts';
import { MemoryLake } from '../../support/fakes/memory-lake.ts';

const test = suite('replay (projections/rebuild/replay.ts)');

const START_S = 1_704_067_200;

function start(): RebuildCheckpoint {
  return {
    planKey: 't', snapshotId: null, baseMark: 0, until: null, replayedThrough: 0, passTo: 0,
    cursorTs: null, cursorId: null, applied: 0, duplicates: 0, skipped: 0, batches: 0, phase: 'replaying',
  };
}

/** A lake holding `n` generated events, and those events in replay order. */
async function lakeWith(n: number): Promise<{ lake: MemoryLake; events: DomainEvent[] }> {
  const lake = new MemoryLake();
  const events = generateEvents({ accounts: 4, days: 1, eventsPerDay: n, start: START_S, seed: 3 })
    .filter((e) => e.EventTimeStamp < START_S + 86_400).slice(0, n);
  await lake.ingest(events);
  const ordered = events.slice().sort((a, b) => compareEvents({ timestamp: a.EventTimeStamp, id: eventId(a) }, { timestamp: b.EventTimeStamp, id: eventId(b) }));
  return { lake, events: ordered };
}

/** Overwrite an event's stored bytes (as a corrupted or hand-edited log would hold them). */
function tamper(lake: MemoryLake, event: DomainEvent, changed: DomainEvent): void {
  lake.log.objects.set(eventKey(event), `${serializeEvent(changed)}\n`);
}

async function replay(lake: MemoryLake, generation: number, batchSize: number, cp = start()): Promise<RebuildCheckpoint> {
  await lake.store.setCheckpoint('balances', generation, toJson(cp));
  return replayTo(lake, cp, await lake.index.lastPosition(), { projection: balancesProjection, generation, reader: new EventReader(lake), batchSize });
}

test('an event that fails its stored version\'s schema stops the replay with a SchemaValidationError naming the event and field', async () => {
  const { lake, events } = await lakeWith(8);
  const bad = events[4]!;
  tamper(lake, bad, { ...bad, Amount: '12.345' });
  const generation = await lake.store.createGeneration('balances');
  const invalid = await rejects(() => replay(lake, generation, 2), SchemaValidationError);
  assert.is(invalid.eventId, eventId(bad));
  assert.equal(invalid.issues.map((i) => i.pointer), ['/Amount']);
});

test('nothing of the batch holding an invalid event is applied, and the checkpoint stays after the last good batch', async () => {
  const { lake, events } = await lakeWith(8);
  tamper(lake, events[4]!, { ...events[4]!, Amount: 'lots' });
  const generation = await lake.store.createGeneration('balances');
  await rejects(() => replay(lake, generation, 2), SchemaValidationError);
  const state = await lake.store.readState('balances', generation);
  assert.equal([...state.applied.keys()].sort(), events.slice(0, 4).filter((e) => balancesProjection.handles(e)).map(eventId).sort());
  assert.equal(state.counters, foldEvents(balancesProjection, events.slice(0, 4)).counters);
  const cp = await readCheckpoint(lake, 'balances', generation);
  assert.is(cp?.batches, 2);
  assert.is(cp?.cursorId, eventId(events[3]!));
});

test('an event stored at a schema version the registry does not know stops the replay with a typed error', async () => {
  const { lake, events } = await lakeWith(4);
  tamper(lake, events[1]!, { ...events[1]!, SchemaVersion: 9 });
  const generation = await lake.store.createGeneration('balances');
  await rejects(() => replay(lake, generation, 10), UnknownSchemaVersionError);
  assert.is((await lake.store.readState('balances', generation)).applied.size, 0);
});

test('once the log is fixed, the replay resumes from its checkpoint and ends equal to the direct fold', async () => {
  const { lake, events } = await lakeWith(8);
  tamper(lake, events[4]!, { ...events[4]!, Amount: 'lots' });
  const generation = await lake.store.createGeneration('balances');
  await rejects(() => replay(lake, generation, 2), SchemaValidationError);
  tamper(lake, events[4]!, events[4]!);
  const cp = await readCheckpoint(lake, 'balances', generation);
  await replay(lake, generation, 2, cp);
  assert.equal((await lake.store.readState('balances', generation)).counters, foldEvents(balancesProjection, events).counters);
});

test('replaying the same events twice into a generation changes nothing the second time', async () => {
  const { lake, events } = await lakeWith(12);
  const generation = await lake.store.createGeneration('balances');
  await replay(lake, generation, 5);
  const once = await lake.store.readState('balances', generation);
  const again = await replay(lake, generation, 5);
  assert.is(again.applied, 0);
  assert.is(again.duplicates, events.filter((e) => balancesProjection.handles(e)).length);
  assert.equal(await lake.store.readState('balances', generation), once);
});

test('a reader without a schema registry refuses to replay rather than apply unvalidated events', async () => {
  const { lake } = await lakeWith(2);
  const generation = await lake.store.createGeneration('balances');
  const reader = new EventReader({ log: lake.log });
  await rejects(() => replayTo(lake, start(), 2, { projection: balancesProjection, generation, reader }), InvalidArgumentError);
  assert.is((await lake.store.readState('balances', generation)).applied.size, 0);
});

test('a coordinator rebuild stops at an invalid event in the log and applies nothing of its batch', async () => {
  const { lake, events } = await lakeWith(6);
  tamper(lake, events[2]!, { ...events[2]!, RequestId: 'not-a-uuid' });
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'balances', from: 0 });
  await rejects(() => coordinator.rebuild(plan, { batchSize: 100 }), SchemaValidationError);
  const generation = (await lake.store.createGeneration('balances')) - 1;
  assert.is((await lake.store.readState('balances', generation)).applied.size, 0);
});

test('a batch that took less than QUICK_BATCH_MS doubles the next one, up to MAX_REPLAY_BATCH and never past it', () => {
  assert.is(nextBatchSize(DEFAULT_REPLAY_BATCH, QUICK_BATCH_MS - 1), DEFAULT_REPLAY_BATCH * 2);
  let size = DEFAULT_REPLAY_BATCH;
  for (let i = 0; i < 20; i++) size = nextBatchSize(size, 0);
  assert.is(size, MAX_REPLAY_BATCH);
});

test('a batch that took QUICK_BATCH_MS or longer keeps its size (a slow store checkpoints as often as it did)', () => {
  assert.is(nextBatchSize(4_000, QUICK_BATCH_MS), 4_000);
  assert.is(nextBatchSize(4_000, 10 * QUICK_BATCH_MS), 4_000);
});

test.run();
