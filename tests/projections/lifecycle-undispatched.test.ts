// runLifecycle leaves hot the hours that hold events the dispatch tail has not delivered: archived, such an event
// (a backfill or late arrival with an old EventTimeStamp) could not be read by the tail, which would stop there.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { eventId, partitionPrefix } from '../../domain/event.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { hourAgo, hourOfEvents, NOW, store, withLifecycleCtx, type LifecycleCtx as Ctx } from '../support/lifecycle-fixture.ts';

/** The storage classes of an hour's objects, as the index reports them. */
async function classesOf(ctx: Ctx, hourStart: number): Promise<StorageClass[]> {
  const prefix = partitionPrefix(hourStart);
  return [...new Set((await ctx.index.objects()).filter((o) => o.key.startsWith(prefix)).map((o) => o.storageClass))];
}

const test = suite<Ctx>('runLifecycle: undispatched events');
withLifecycleCtx(test);

/** Two old hours, dispatched; then one late event into the older hour, indexed last and not dispatched. */
async function lateArrival(ctx: Ctx): Promise<{ dispatched: number }> {
  await store(ctx, [...hourOfEvents(hourAgo(40), 1), ...hourOfEvents(hourAgo(30), 2)]);
  const dispatched = await ctx.index.lastPosition();
  const [late] = hourOfEvents(hourAgo(40), 3);
  await store(ctx, [{ ...late!, RequestId: '01890000-0000-7000-8000-00000000beef' }]);
  return { dispatched };
}

test('an old hour holding an event above the dispatch checkpoint stays hot; the others are archived', async (ctx) => {
  const { dispatched } = await lateArrival(ctx);
  const report = await runLifecycle({ ...ctx, dispatchedPosition: async () => dispatched }, { now: NOW });
  assert.equal(await classesOf(ctx, hourAgo(40)), ['STANDARD']);
  assert.equal(await classesOf(ctx, hourAgo(30)), ['GLACIER']);
  assert.is(report.hoursUndispatched, 1);
});

test('once the tail has delivered it, the next run archives that hour too', async (ctx) => {
  const { dispatched } = await lateArrival(ctx);
  await runLifecycle({ ...ctx, dispatchedPosition: async () => dispatched }, { now: NOW });
  const last = await ctx.index.lastPosition();
  const report = await runLifecycle({ ...ctx, dispatchedPosition: async () => last }, { now: NOW });
  assert.equal(await classesOf(ctx, hourAgo(40)), ['GLACIER']);
  assert.is(report.hoursUndispatched, 0);
});

test('an event indexed into an old hour while the run compacts it keeps that hour hot', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(30), 2));
  const dispatched = await ctx.index.lastPosition();
  const [late] = hourOfEvents(hourAgo(30), 4);
  const lateEvent = { ...late!, RequestId: '01890000-0000-7000-8000-00000000cafe' };
  // Another process appends into the hour just as the compaction writes its segment (after the run's first look).
  const log = new Proxy(ctx.log, {
    get(target, name) {
      if (name === 'writeSegment') return async (...args: Parameters<FsEventLog['writeSegment']>) => {
        await store(ctx, [lateEvent]);
        return target.writeSegment(...args);
      };
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const report = await runLifecycle({ ...ctx, log, dispatchedPosition: async () => dispatched }, { now: NOW });
  assert.is(report.hoursUndispatched, 1);
  assert.equal(await classesOf(ctx, hourAgo(30)), ['STANDARD']);
  const entry = await ctx.index.get(eventId(lateEvent));
  assert.is(entry?.storageClass, 'STANDARD', 'the late event stays readable for the tail');
});

test('without a dispatch checkpoint every old enough hour is archived, as before', async (ctx) => {
  await lateArrival(ctx);
  const report = await runLifecycle(ctx, { now: NOW });
  assert.equal(await classesOf(ctx, hourAgo(40)), ['GLACIER']);
  assert.is(report.hoursUndispatched, 0);
});

test.run();
