// compactHour in chunks, crashed between chunks: the next run finishes without losing or doubling an event. The
// hour's batch objects each hold events from the whole hour, so every one of them spans every chunk.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { isBatchObjectKey } from '../../domain/batch-objects.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { compareEvents, eventId, eventKey, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { compactHour, nthSegmentKey, type CompactionHooks } from '../../projections/compactor.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { indexAppended, objectsOfHour } from '../support/hour-objects.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const LIMIT = { maxSegmentEvents: 8 };
/** Appends, each taking every APPENDS-th event of the hour. */
const APPENDS = 5;

interface Ctx { log: FsEventLog; index: SqliteEventIndex; events: DomainEvent[] }

/** Throws (a simulated crash) on the n-th call. */
const crashOnCall = (n: number) => {
  let calls = 0;
  return () => { if (++calls === n) throw new Error('simulated crash'); };
};

/** Every event resolves through the index exactly once, to its own bytes. */
async function assertExactlyOnce(ctx: Ctx): Promise<void> {
  const seen: string[] = [];
  for await (const e of ctx.index.between({ from: HOUR, to: HOUR + 3600 })) {
    assert.is(serializeEvent(await ctx.log.read(e.location)), serializeEvent(ctx.events.find((x) => eventId(x) === e.id)!));
    seen.push(e.id);
  }
  assert.equal(seen.sort(), ctx.events.map(eventId).sort());
}

/** Lines stored in the hour's objects, by identity (an event stored twice shows up twice). */
async function storedLines(ctx: Ctx): Promise<string[]> {
  const ids: string[] = [];
  for (const name of await objectsOfHour(ctx.log, HOUR)) for await (const { event } of ctx.log.readObject(`${PREFIX}${name}`)) ids.push(eventId(event));
  return ids.sort();
}

async function assertFinished(ctx: Ctx): Promise<void> {
  await assertExactlyOnce(ctx);
  assert.equal(await storedLines(ctx), ctx.events.map(eventId).sort(), 'every event stored once, in segments only');
  assert.not.ok((await objectsOfHour(ctx.log, HOUR)).some((name) => isBatchObjectKey(`${PREFIX}${name}`)));
}

const test = suite<Ctx>('compactHour in chunks, crashed');
test.before.each(async (ctx) => {
  const dataDir = tempDir();
  ctx.log = await FsEventLog.open(dataDir);
  ctx.index = new SqliteEventIndex(join(dataDir, 'index.db'));
  ctx.events = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 40, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  for (let a = 0; a < APPENDS; a++) {
    const events = ctx.events.filter((_, i) => i % APPENDS === a);
    await indexAppended(ctx.index, events, await ctx.log.append(events));
  }
});
test.after.each(async (ctx) => {
  ctx.index.close();
  await ctx.log.close();
});

test('the hour spans several chunks and each batch object holds events of more than one', async (ctx) => {
  assert.ok(ctx.events.length > 3 * LIMIT.maxSegmentEvents);
  assert.is((await objectsOfHour(ctx.log, HOUR)).length, APPENDS);
  const report = await compactHour(ctx, PREFIX, LIMIT);
  assert.is(report.segmentsWritten.length, Math.ceil(ctx.events.length / LIMIT.maxSegmentEvents));
  await assertFinished(ctx);
});

test('a crash after the first chunk is relocated keeps the batch objects later chunks need; the next run finishes', async (ctx) => {
  await rejects(() => compactHour(ctx, PREFIX, { ...LIMIT, afterRelocate: crashOnCall(1) }), Error);
  assert.is((await objectsOfHour(ctx.log, HOUR)).filter((name) => isBatchObjectKey(`${PREFIX}${name}`)).length, APPENDS);
  await assertExactlyOnce(ctx);
  await compactHour(ctx, PREFIX, LIMIT);
  await assertFinished(ctx);
});

for (const [step, hooks] of [
  ['the first', { afterSegment: crashOnCall(1) }],
  ['the third', { afterSegment: crashOnCall(3) }],
] as [string, CompactionHooks][]) {
  test(`a crash after ${step} chunk's segment is written: the next run reuses that segment instead of writing its events again`, async (ctx) => {
    await rejects(() => compactHour(ctx, PREFIX, { ...LIMIT, ...hooks }), Error);
    await assertExactlyOnce(ctx);
    const before = await objectsOfHour(ctx.log, HOUR);
    const report = await compactHour(ctx, PREFIX, LIMIT);
    for (const name of before.filter((n) => n.startsWith('segment'))) assert.not.ok(report.segmentsWritten.includes(`${PREFIX}${name}`));
    await assertFinished(ctx);
  });
}

test('a relocation cut short part way (DynamoDB commits 100 entries a transaction) is finished from the same segment, storing no event twice', async (ctx) => {
  const relocate = ctx.index.relocate.bind(ctx.index);
  let calls = 0;
  const index = Object.assign(Object.create(ctx.index) as SqliteEventIndex, {
    relocate: async (moves: readonly { id: string; location: EventLocation }[]) => {
      if (++calls !== 2) return relocate(moves);
      await relocate(moves.slice(0, 3));
      throw new Error('simulated crash between transactions');
    },
  });
  await rejects(() => compactHour({ log: ctx.log, index }, PREFIX, LIMIT), Error);
  await assertExactlyOnce(ctx);
  await compactHour(ctx, PREFIX, LIMIT);
  await assertFinished(ctx);
});

test('a segment cut part way that was archived since is passed over, not restored: its pending events go into a new segment', async () => {
  const archive = new MemoryArchiveTier(() => 0);
  const log = new MemoryEventLog(archive);
  const index = new MemoryEventIndex();
  const events = generateEvents({ accounts: 3, days: 1 / 24, eventsPerDay: 24 * 3, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600).slice(0, 3);
  await indexAppended(index, events, await log.append(events));
  const cut = nthSegmentKey(PREFIX, 1);
  const { locations } = await log.writeSegment(cut, events.map(serializeEvent));
  await index.relocate(events.slice(0, 2).map((e, i) => ({ id: eventId(e), location: locations[i]! })));
  await log.remove(events.slice(0, 2).map(eventKey));
  await archive.transition(cut, 'GLACIER');
  const report = await compactHour({ log, index }, PREFIX, LIMIT);
  assert.equal(report.segmentsWritten, [nthSegmentKey(PREFIX, 2)]);
  const last = (await index.get(eventId(events[2]!)))!;
  assert.equal([last.location.key, serializeEvent(await log.read(last.location))], [nthSegmentKey(PREFIX, 2), serializeEvent(events[2]!)]);
});

test('several segments no entry points to are each reused, whatever limits wrote them', async (ctx) => {
  const sorted = [...ctx.events].sort((a, b) => compareEvents({ timestamp: a.EventTimeStamp, id: eventId(a) }, { timestamp: b.EventTimeStamp, id: eventId(b) }));
  await ctx.log.writeSegment(nthSegmentKey(PREFIX, 1), sorted.slice(0, 5).map(serializeEvent));
  await ctx.log.writeSegment(nthSegmentKey(PREFIX, 2), sorted.slice(5, 17).map(serializeEvent));
  const report = await compactHour(ctx, PREFIX, LIMIT);
  assert.is(report.compacted, ctx.events.length);
  assert.is(report.segmentsWritten.length, Math.ceil((ctx.events.length - 17) / LIMIT.maxSegmentEvents));
  assert.not.ok(report.segmentsWritten.includes(nthSegmentKey(PREFIX, 1)) || report.segmentsWritten.includes(nthSegmentKey(PREFIX, 2)));
  await assertFinished(ctx);
});

test.run();
