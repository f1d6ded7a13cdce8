// An archive run on a local runtime looks only at hours that can need it: those that got events or that a cutoff
// passed since the last run that finished (its watermark in dispatch.db), never the whole history, and it misses no
// hour that a late event, an undispatched event, a policy change or a crashed run left with work to do.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix } from '../../domain/event.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { checkpointKind } from '../../projections/checkpoint-kinds.ts';
import { rejects } from '../support/async.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { DAY, hourAgo, hourOfEvents, NOW, store, withLifecycleCtx, type LifecycleCtx } from '../support/lifecycle-fixture.ts';
import { hourState, watermarkRuns } from './support/watermark-runs.ts';

const HOUR = 3600;
const HOUR_MS = 3_600_000;

interface Ctx extends LifecycleCtx {
  checkpoints: CheckpointStore;
  positions: Map<string, number>;
  runs: ReturnType<typeof watermarkRuns>;
}

const test = suite<Ctx>('archive run: watermark');
withLifecycleCtx(test);
test.before.each((ctx) => {
  const { checkpoints, positions } = memoryCheckpoints();
  Object.assign(ctx, { checkpoints, positions, runs: watermarkRuns(ctx, checkpoints) });
});

/** Hours 200 days (DEEP_ARCHIVE), 30 days (GLACIER) and 5 days (compacted, STANDARD) old, brought there by a run at NOW. */
async function settled(ctx: Ctx): Promise<void> {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2), ...hourOfEvents(hourAgo(5), 3)]);
  assert.is((await ctx.runs.run({ now: NOW })).listed.length, 3, 'the first run looks at every hour');
}

test('a run after one that left every hour in its class lists no hour folder', async (ctx) => {
  await settled(ctx);
  const next = await ctx.runs.run({ now: NOW + HOUR_MS });
  assert.equal([next.listed, next.hoursCompacted, next.transitioned.GLACIER.objects, next.transitioned.DEEP_ARCHIVE.objects], [[], 0, 0, 0]);
});

test('a late event into an archived hour is compacted and archived by the next run, the only hour it lists', async (ctx) => {
  await settled(ctx);
  await store(ctx, hourOfEvents(hourAgo(30), 7).slice(0, 1));
  const next = await ctx.runs.run({ now: NOW + HOUR_MS });
  assert.equal(next.listed, [partitionPrefix(hourAgo(30))]);
  assert.equal(await hourState(ctx, hourAgo(30)), { classes: { 'segment.ndjson': 'GLACIER', 'segment-2.ndjson': 'GLACIER' }, originals: false });
});

test('an old hour left hot for an event not dispatched yet is archived by a later run once it is dispatched', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(40), 1), ...hourOfEvents(hourAgo(30), 2)]);
  const dispatched = await ctx.index.lastPosition();
  await store(ctx, hourOfEvents(hourAgo(40), 3).slice(0, 1));
  assert.is((await ctx.runs.run({ now: NOW }, { dispatched })).hoursUndispatched, 1);
  await ctx.runs.run({ now: NOW + HOUR_MS });
  assert.equal((await hourState(ctx, hourAgo(40))).classes, { 'segment.ndjson': 'GLACIER' });
});

test('an hour whose age passes deepArchiveAfterDays between two runs moves on to DEEP_ARCHIVE', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(100), 1));
  await ctx.runs.run({ now: NOW });
  assert.equal((await hourState(ctx, hourAgo(100))).classes, { 'segment.ndjson': 'GLACIER' });
  await ctx.runs.run({ now: NOW + 6 * DAY * 1000 });
  assert.equal((await hourState(ctx, hourAgo(100))).classes, { 'segment.ndjson': 'DEEP_ARCHIVE' });
});

test('an hour that ends compactAfterHours ago between two runs is compacted by the later one', async (ctx) => {
  const recent = hourAgo(0) - 3 * HOUR;
  await store(ctx, hourOfEvents(recent, 1));
  await ctx.runs.run({ now: NOW });
  assert.is((await hourState(ctx, recent)).originals, true);
  await ctx.runs.run({ now: NOW + DAY * 1000 });
  assert.equal(await hourState(ctx, recent), { classes: { 'segment.ndjson': 'STANDARD' }, originals: false });
});

test('a shorter glacierAfterDays reaches hours the last run left STANDARD', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(10), 1));
  await ctx.runs.run({ now: NOW });
  assert.equal((await hourState(ctx, hourAgo(10))).classes, { 'segment.ndjson': 'STANDARD' });
  await ctx.runs.run({ now: NOW, policy: { glacierAfterDays: 7, deepArchiveAfterDays: 105 } });
  assert.equal((await hourState(ctx, hourAgo(10))).classes, { 'segment.ndjson': 'GLACIER' });
});

test('a shorter compactAfterHours compacts hours the last run left as they were', async (ctx) => {
  const recent = hourAgo(0) - 5 * HOUR;
  await store(ctx, hourOfEvents(recent, 1));
  await ctx.runs.run({ now: NOW });
  assert.is((await hourState(ctx, recent)).originals, true);
  await ctx.runs.run({ now: NOW, compactAfterHours: 1 });
  assert.equal(await hourState(ctx, recent), { classes: { 'segment.ndjson': 'STANDARD' }, originals: false });
});

test('originals a crashed run left behind are removed by the next run', async (ctx) => {
  const recent = hourAgo(0) - 3 * HOUR;
  await store(ctx, [...hourOfEvents(hourAgo(30), 2), ...hourOfEvents(recent, 1)]);
  await ctx.runs.run({ now: NOW });
  const later = NOW + DAY * 1000;
  await rejects(() => ctx.runs.run({ now: later }, { crashOnRemove: new Error('killed') }), Error);
  assert.is((await hourState(ctx, recent)).originals, true, 'the crash left the originals');
  await ctx.runs.run({ now: later });
  assert.equal(await hourState(ctx, recent), { classes: { 'segment.ndjson': 'STANDARD' }, originals: false });
});

test('a watermark ahead of the index (an older index.db put back) makes the run look at every hour', async (ctx) => {
  await settled(ctx);
  ctx.positions.set('archive:watermark:position', (await ctx.index.lastPosition()) + 1);
  assert.is((await ctx.runs.run({ now: NOW + HOUR_MS })).listed.length, 3);
});

test('without the local target (AWS, whose index positions are not in commit order) every run looks at every hour', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2)]);
  await ctx.runs.run({ now: NOW }, { target: 'aws' });
  assert.is((await ctx.runs.run({ now: NOW + HOUR_MS }, { target: 'aws' })).listed.length, 2);
});

test('the watermark\'s names are of the kind an index repair clears', async (ctx) => {
  await settled(ctx);
  const names = [...ctx.positions.keys()].filter((n) => n.startsWith('archive:watermark:'));
  assert.equal(names.sort(), ['archive:watermark:compact', 'archive:watermark:deep', 'archive:watermark:glacier', 'archive:watermark:position']);
  assert.equal(names.map(checkpointKind), names.map(() => 'hot-watermark'));
});

test.run();
