// runLifecycle compacts hours too young to archive once they ended `compactAfterHours` ago (default 24, the AWS
// compaction function's): they stay STANDARD, and younger hours keep their originals.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isBatchObjectKey } from '../../domain/batch-objects.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { partitionPrefix, SEGMENT_OBJECT_SUFFIX } from '../../domain/event.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { hourAgo, hourOfEvents, NOW, store, withLifecycleCtx, type LifecycleCtx as Ctx } from '../support/lifecycle-fixture.ts';

const HOUR = 3600;
const TWO_DAYS_AGO = hourAgo(2);
const THREE_HOURS_AGO = hourAgo(0) - 3 * HOUR; // ended 2.5 h before NOW

/** Where the index says an hour's events are: `segment` when every object of the hour is a segment. */
async function kindOf(ctx: Ctx, hourStart: number): Promise<'segment' | 'originals'> {
  const keys = (await ctx.index.objects()).map((o) => o.key).filter((k) => k.startsWith(partitionPrefix(hourStart)));
  assert.ok(keys.length > 0);
  return keys.every((k) => k.endsWith(SEGMENT_OBJECT_SUFFIX) && !isBatchObjectKey(k)) ? 'segment' : 'originals';
}

const test = suite<Ctx>('runLifecycle: hours too young to archive');
withLifecycleCtx(test);

test('an hour that ended over 24 h ago is compacted and stays STANDARD; one that ended 2.5 h ago is left as it is', async (ctx) => {
  const old = hourOfEvents(TWO_DAYS_AGO, 1);
  await store(ctx, old);
  await store(ctx, hourOfEvents(THREE_HOURS_AGO, 2));
  const report = await runLifecycle(ctx, { now: NOW });
  assert.equal([await kindOf(ctx, TWO_DAYS_AGO), await kindOf(ctx, THREE_HOURS_AGO)], ['segment', 'originals']);
  assert.equal([report.hoursCompacted, report.hotHoursCompacted, report.eventsCompacted, report.transitioned.GLACIER.objects], [1, 1, old.length, 0]);
});

test('a hot hour holding events not dispatched yet is compacted all the same (dispatch reads where the index points)', async (ctx) => {
  await store(ctx, hourOfEvents(TWO_DAYS_AGO, 1));
  const report = await runLifecycle({ ...ctx, dispatchedPosition: async () => 0 }, { now: NOW });
  assert.equal([await kindOf(ctx, TWO_DAYS_AGO), report.hotHoursCompacted, report.hoursUndispatched], ['segment', 1, 0]);
});

test('compactAfterHours that is not a whole number >= 0 is refused naming it', async (ctx) => {
  const error = await runLifecycle(ctx, { now: NOW, compactAfterHours: -1 }).then(() => undefined, (e: unknown) => e);
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'compactAfterHours');
});

test.run();
