// runLifecycle: hours old enough are compacted, then moved to GLACIER or DEEP_ARCHIVE by the age of their newest event.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { DAY, hourAgo, hourOfEvents, NOW, store, withLifecycleCtx, type LifecycleCtx as Ctx } from '../support/lifecycle-fixture.ts';

/** Storage class of every object of an hour, as the index reports it, keyed by file name. */
async function classesOf(index: EventIndex, hourStart: number): Promise<Record<string, StorageClass>> {
  const prefix = partitionPrefix(hourStart);
  const out: Record<string, StorageClass> = {};
  for (const o of await index.objects()) if (o.key.startsWith(prefix)) out[o.key.slice(prefix.length).replace(/^batch-\d+\.ndjson$/, 'batch-*.ndjson')] = o.storageClass;
  return out;
}

const test = suite<Ctx>('runLifecycle');
withLifecycleCtx(test);

test('hours are compacted and moved by age: DEEP_ARCHIVE after 105 days, GLACIER after 14, compacted but hot before', async (ctx) => {
  const deep = hourOfEvents(hourAgo(200), 1);
  const glacier = hourOfEvents(hourAgo(30), 2);
  const hot = hourOfEvents(hourAgo(5), 3);
  await store(ctx, [...deep, ...glacier, ...hot]);
  const report = await runLifecycle(ctx, { now: NOW });
  assert.equal(await classesOf(ctx.index, hourAgo(200)), { 'segment.ndjson': 'DEEP_ARCHIVE' });
  assert.equal(await classesOf(ctx.index, hourAgo(30)), { 'segment.ndjson': 'GLACIER' });
  assert.equal(await classesOf(ctx.index, hourAgo(5)), { 'segment.ndjson': 'STANDARD' });
  assert.equal([report.hoursCompacted, report.eventsCompacted], [3, deep.length + glacier.length + hot.length]);
  assert.equal(report.transitioned.DEEP_ARCHIVE, { objects: 1, events: deep.length, bytes: report.classes.DEEP_ARCHIVE.bytes });
  assert.equal([report.transitioned.GLACIER.events, report.classes.STANDARD.events], [glacier.length, hot.length]);
});

test('a later run moves a Glacier hour on to Deep Archive without compacting it again', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(30), 2));
  await runLifecycle(ctx, { now: NOW });
  const later = await runLifecycle(ctx, { now: NOW + 80 * DAY * 1000 });
  assert.is(later.hoursCompacted, 0);
  assert.is(later.transitioned.DEEP_ARCHIVE.objects, 1);
  assert.equal(await classesOf(ctx.index, hourAgo(30)), { 'segment.ndjson': 'DEEP_ARCHIVE' });
});

test('a second run at the same time moves nothing', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2)]);
  await runLifecycle(ctx, { now: NOW });
  const again = await runLifecycle(ctx, { now: NOW });
  assert.equal([again.hoursCompacted, again.transitioned.GLACIER.objects, again.transitioned.DEEP_ARCHIVE.objects], [0, 0, 0]);
});

test('an hour straddling the cutoff waits until its newest event is old enough', async (ctx) => {
  const cutoff = NOW / 1000 - 14 * DAY;
  const start = Math.floor(cutoff / 3600) * 3600;
  const events = hourOfEvents(start, 4);
  assert.ok(events.some((e) => e.EventTimeStamp >= cutoff) && events.some((e) => e.EventTimeStamp < cutoff), 'the hour straddles');
  await store(ctx, events);
  await runLifecycle(ctx, { now: NOW });
  // Compacted (it ended over compactAfterHours ago), not archived.
  assert.equal(await classesOf(ctx.index, start), { 'segment.ndjson': 'STANDARD' });
  await runLifecycle(ctx, { now: NOW + 3600 * 1000 });
  assert.equal(await classesOf(ctx.index, start), { 'segment.ndjson': 'GLACIER' });
});

test('the policy is configurable', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(5), 3));
  await runLifecycle(ctx, { now: NOW, policy: { glacierAfterDays: 1, deepArchiveAfterDays: 3 } });
  assert.equal(await classesOf(ctx.index, hourAgo(5)), { 'segment.ndjson': 'DEEP_ARCHIVE' });
});

test('late events of an archived hour are compacted into a new segment and archived too', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(30), 2));
  await runLifecycle(ctx, { now: NOW });
  await store(ctx, hourOfEvents(hourAgo(30), 5));
  const report = await runLifecycle(ctx, { now: NOW });
  assert.is(report.hoursCompacted, 1);
  assert.equal(await classesOf(ctx.index, hourAgo(30)), { 'segment.ndjson': 'GLACIER', 'segment-2.ndjson': 'GLACIER' });
});

test.run();
