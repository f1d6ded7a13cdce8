// Differential: whatever happens between archive runs (events into any hour, old or new, clocks moving by hours or
// months, policies and compactAfterHours changing either way, undispatched events, crashed runs), a run that trusts the
// watermark leaves the log, the index and the tier exactly as a run that walks every hour, and reports the same.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hourStart } from '../../domain/event.ts';
import type { LifecycleReport } from '../../projections/lifecycle.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { hourOfEvents, NOW, store } from '../support/lifecycle-fixture.ts';
import { watermarkRuns, type Ports, type RunHow } from './support/watermark-runs.ts';
import { differentialParams } from './balance-fold-differential-cases.ts';

const HOUR = 3600;

type Step =
  | { readonly kind: 'emit'; readonly hoursAgo: number; readonly events: number }
  | { readonly kind: 'run'; readonly advanceHours: number; readonly glacierAfterDays: number; readonly deepAfter: number; readonly compactAfterHours: number; readonly undispatched: boolean; readonly crash: boolean };

const steps = fc.array(fc.oneof(
  fc.record({ kind: fc.constant('emit' as const), hoursAgo: fc.oneof(fc.integer({ min: 0, max: 72 }), fc.integer({ min: 0, max: 24 * 220 })), events: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('run' as const), advanceHours: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 24 * 120 })),
    glacierAfterDays: fc.integer({ min: 1, max: 20 }), deepAfter: fc.integer({ min: 0, max: 100 }), compactAfterHours: fc.integer({ min: 0, max: 48 }),
    undispatched: fc.boolean(), crash: fc.boolean(),
  }),
), { minLength: 2, maxLength: 9 });

/** A log, index and tier in memory (one-event objects, as on S3; lifecycle-watermark.test.ts runs the local ones). */
function side(): Ports & { runs: ReturnType<typeof watermarkRuns> } {
  const archive = new MemoryArchiveTier(() => NOW);
  const ports = { log: new MemoryEventLog(archive), index: new MemoryEventIndex(), archive };
  return { ...ports, runs: watermarkRuns(ports, memoryCheckpoints().checkpoints) };
}

/** The index's objects and the log's hot objects, comparable across the two sides. */
async function stateOf(ctx: Ports): Promise<unknown> {
  const objects = (await ctx.index.objects()).map((o) => [o.key, o.storageClass, o.events]);
  const files: string[] = [];
  for (const prefix of new Set(objects.map(([key]) => String(key).slice(0, String(key).lastIndexOf('/') + 1)))) for await (const o of ctx.log.list(prefix)) files.push(o.key);
  return { objects, files: files.sort() };
}

/** The run's report without what only says where things sit (compared through stateOf), or the error it ended with. */
async function outcome(run: Promise<LifecycleReport>): Promise<unknown> {
  try {
    const r = await run;
    return [r.hoursCompacted, r.eventsCompacted, r.hotHoursCompacted, r.hoursUndispatched, r.transitioned];
  } catch (error) {
    return (error as Error).message;
  }
}

async function check(script: readonly Step[]): Promise<void> {
  const [walk, mark] = [side(), side()];
  let clock = NOW;
  let dispatched = 0; // the dispatch checkpoint only moves forward: caught up, or stalled where it was
  for (const [i, step] of script.entries()) {
    if (step.kind === 'emit') {
      const events = hourOfEvents(hourStart(clock / 1000 - step.hoursAgo * HOUR), 100 + i).slice(0, step.events);
      for (const s of [walk, mark]) await store(s, events);
      continue;
    }
    clock += step.advanceHours * HOUR * 1000;
    const options = { now: clock, compactAfterHours: step.compactAfterHours, policy: { glacierAfterDays: step.glacierAfterDays, deepArchiveAfterDays: step.glacierAfterDays + step.deepAfter } };
    if (!step.undispatched) dispatched = await walk.index.lastPosition();
    const how = (target: RunHow['target']): RunHow => ({ target, dispatched, ...(step.crash ? { crashOnRemove: new Error('killed') } : {}) });
    const ran = [await outcome(walk.runs.run(options, how('aws'))), await outcome(mark.runs.run(options, how('local')))];
    assert.equal(ran[1], ran[0], `step ${i}: the runs reported alike`);
    assert.equal(await stateOf(mark), await stateOf(walk), `step ${i}: the runs left the same state`);
  }
}

const test = suite('archive run: watermark against the full walk');

test('a run with the watermark leaves everything as a run walking every hour does, whatever happened between runs', async () => {
  await fc.assert(fc.asyncProperty(steps, check), differentialParams(100));
});

test.run();
