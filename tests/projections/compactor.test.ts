// compactHour: the batch objects of an hour become one segment; a crash at any step loses and doubles nothing.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsArchiveTier } from '../../adapters/local/fs-archive-tier.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { EventConflictError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { accountsOf, compareEvents, eventId, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { AppendResult, EventLog } from '../../domain/ports/event-log.ts';
import { compactHour, type CompactionHooks } from '../../projections/compactor.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const HOUR = Date.UTC(2024, 2, 7, 9) / 1000;
const PREFIX = partitionPrefix(HOUR);
const crash = () => { throw new Error('simulated crash'); };

interface Ctx { dataDir: string; log: FsEventLog; index: SqliteEventIndex; events: DomainEvent[] }

/** Events appended PER_APPEND at a time, so an hour holds several batch objects. */
const PER_APPEND = 3;
const objectsFor = (events: readonly unknown[]) => Math.ceil(events.length / PER_APPEND);

/** Append `events` (PER_APPEND per append) and index those `indexed` accepts; returns their append results. */
async function store(ctx: Ctx, events: readonly DomainEvent[], indexed: (i: number) => boolean = () => true): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  for (let i = 0; i < events.length; i += PER_APPEND) results.push(...(await ctx.log.append(events.slice(i, i + PER_APPEND))));
  await ctx.index.put(events.flatMap((e, i) => (indexed(i) ? [{
    id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e),
    location: results[i]!.location, size: results[i]!.size, storageClass: 'STANDARD' as const, restore: 'NONE' as const,
  }] : [])));
  return results;
}

/** Every event of the hour, read once through its index entry, keyed by identity. */
async function readThroughIndex(ctx: Ctx): Promise<Map<string, DomainEvent>> {
  const out = new Map<string, DomainEvent>();
  for await (const e of ctx.index.between({ from: HOUR, to: HOUR + 3600 })) {
    assert.not.ok(out.has(e.id), `${e.id} indexed twice`);
    out.set(e.id, await ctx.log.read(e.location));
  }
  return out;
}

async function assertExactlyOnce(ctx: Ctx, events: readonly DomainEvent[] = ctx.events): Promise<void> {
  const read = await readThroughIndex(ctx);
  assert.equal([...read.keys()].sort(), events.map(eventId).sort());
  for (const e of events) assert.is(serializeEvent(read.get(eventId(e))!), serializeEvent(e));
}

async function listed(log: EventLog): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of log.list(PREFIX)) keys.push(o.key.slice(PREFIX.length));
  return keys;
}

const test = suite<Ctx>('compactHour');
test.before.each(async (ctx) => {
  ctx.dataDir = tempDir();
  ctx.log = await FsEventLog.open(ctx.dataDir);
  ctx.index = new SqliteEventIndex(join(ctx.dataDir, 'index.db'));
  ctx.events = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 12, start: HOUR }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  await store(ctx, ctx.events);
});
test.after.each(async (ctx) => {
  ctx.index.close();
  await ctx.log.close();
});

test('an hour of batch objects becomes one segment, every event still found by identity', async (ctx) => {
  assert.ok(objectsFor(ctx.events) > 3);
  assert.is((await listed(ctx.log)).length, objectsFor(ctx.events));
  const report = await compactHour(ctx, PREFIX);
  assert.equal([report.compacted, report.removed, report.written], [ctx.events.length, objectsFor(ctx.events), `${PREFIX}segment.ndjson`]);
  assert.equal(await listed(ctx.log), ['segment.ndjson']);
  await assertExactlyOnce(ctx);
});

test('the segment holds its events in (EventTimeStamp, identity) order', async (ctx) => {
  await compactHour(ctx, PREFIX);
  const ids: string[] = [];
  for await (const { event } of ctx.log.readObject(`${PREFIX}segment.ndjson`)) ids.push(eventId(event));
  const expected = ctx.events.map((e) => ({ timestamp: e.EventTimeStamp, id: eventId(e) })).sort(compareEvents).map((e) => e.id);
  assert.equal(ids, expected);
});

for (const [step, hooks] of [
  ['after the segment is written', { afterSegment: crash }],
  ['after the index is repointed, before the originals are removed', { afterRelocate: crash }],
] as [string, CompactionHooks][]) {
  test(`a crash ${step} leaves every event readable exactly once, and a rerun completes`, async (ctx) => {
    await rejects(() => compactHour(ctx, PREFIX, hooks), Error);
    await assertExactlyOnce(ctx);
    await compactHour(ctx, PREFIX);
    assert.equal(await listed(ctx.log), ['segment.ndjson']);
    await assertExactlyOnce(ctx);
  });
}

test('a crash part-way through removing the originals loses nothing, and a rerun removes the rest', async (ctx) => {
  const remove = ctx.log.remove.bind(ctx.log);
  const log = Object.assign(Object.create(ctx.log) as FsEventLog, {
    remove: async (keys: readonly string[]) => { await remove(keys.slice(0, 3)); crash(); },
  });
  await rejects(() => compactHour({ log, index: ctx.index }, PREFIX), Error);
  await assertExactlyOnce(ctx);
  const report = await compactHour(ctx, PREFIX);
  assert.is(report.removed, objectsFor(ctx.events) - 3);
  assert.equal(await listed(ctx.log), ['segment.ndjson']);
});

test('a rerun after a complete run changes nothing', async (ctx) => {
  await compactHour(ctx, PREFIX);
  const again = await compactHour(ctx, PREFIX);
  assert.equal([again.compacted, again.removed, again.written], [0, 0, undefined]);
  assert.equal(again.segments, [`${PREFIX}segment.ndjson`]);
});

test('late events of a compacted hour go into a second segment; the first is never rewritten', async (ctx) => {
  await compactHour(ctx, PREFIX);
  const late = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 3, start: HOUR, seed: 7 }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  await store(ctx, late);
  const report = await compactHour(ctx, PREFIX);
  assert.is(report.written, `${PREFIX}segment-2.ndjson`);
  assert.equal(report.segments, [`${PREFIX}segment-2.ndjson`, `${PREFIX}segment.ndjson`]);
  await assertExactlyOnce(ctx, [...ctx.events, ...late]);
});

test('late events of an hour whose segment is archived are compacted without reading the archive', async (ctx) => {
  await compactHour(ctx, PREFIX);
  const archive = new FsArchiveTier({ dataDir: ctx.dataDir });
  await archive.transition(`${PREFIX}segment.ndjson`, 'GLACIER');
  archive.close();
  const late = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 3, start: HOUR, seed: 9 }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  await store(ctx, late);
  const report = await compactHour(ctx, PREFIX);
  assert.is(report.written, `${PREFIX}segment-2.ndjson`);
  assert.is(report.compacted, late.length);
});

test('events the index has not seen yet stay hot until it has', async (ctx) => {
  const late = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 2, start: HOUR, seed: 11 }).filter((e) => e.EventTimeStamp < HOUR + 3600);
  const results = await store(ctx, late, () => false);
  const report = await compactHour(ctx, PREFIX);
  assert.is(report.unindexed, late.length);
  for (const [i, e] of late.entries()) assert.is(serializeEvent(await ctx.log.read(results[i]!.location)), serializeEvent(e));
});

test('a batch object holding one event the index has not seen yet stays whole, and is compacted once it has', async (ctx) => {
  const late = generateEvents({ accounts: 5, days: 1 / 24, eventsPerDay: 24 * 2, start: HOUR, seed: 13 }).filter((e) => e.EventTimeStamp < HOUR + 3600).slice(0, PER_APPEND);
  const results = await store(ctx, late, (i) => i !== 1);
  const report = await compactHour(ctx, PREFIX);
  assert.is(report.unindexed, 1);
  assert.ok((await listed(ctx.log)).includes(results[0]!.key.slice(PREFIX.length)));
  await assertExactlyOnce(ctx, [...ctx.events, ...late.filter((_, i) => i !== 1)]);
  await ctx.index.put([{ id: eventId(late[1]!), type: late[1]!.EventType, timestamp: late[1]!.EventTimeStamp, accounts: accountsOf(late[1]!), location: results[1]!.location, size: results[1]!.size, storageClass: 'STANDARD', restore: 'NONE' }]);
  const again = await compactHour(ctx, PREFIX);
  assert.equal([again.compacted, again.removed, again.unindexed], [late.length, 1, 0]);
  assert.equal(await listed(ctx.log), ['segment-2.ndjson', 'segment.ndjson']);
  await assertExactlyOnce(ctx, [...ctx.events, ...late]);
});

test('a leftover segment whose line differs from the event it claims to hold is refused', async (ctx) => {
  const [first] = ctx.events;
  await ctx.log.writeSegment(`${PREFIX}segment.ndjson`, [serializeEvent({ ...first!, Reference: 'tampered' })]);
  await rejects(() => compactHour(ctx, PREFIX), EventConflictError);
  await assertExactlyOnce(ctx);
});

test.run();
