import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { buildScenario, DAY_S, START_S } from '../../support/fakes/scenario.ts';

const test = suite('rebuild plan');

test('from 0 starts from an empty projection and replays every indexed event', async () => {
  const { lake, events } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0 });
  assert.is(plan.snapshot, undefined);
  assert.is(plan.baseMark, 0);
  assert.is(plan.events.count, events.length);
});

test('from T starts from the newest snapshot at or before T and replays only positions above its mark', async () => {
  const { lake, endOfDay } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(2) + 1000 });
  const expected = await lake.snapshots.latestAtOrBefore('balances', endOfDay(2));
  assert.is(plan.snapshot?.id, expected!.id);
  assert.is(plan.events.count, (await lake.index.lastPosition()) - expected!.highWaterMark);
});

test('the replay set is split by storage class, with the restores it needs and a cost per restore tier', async () => {
  const { lake } = await buildScenario();
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0 });
  assert.equal(plan.tiers.map((t) => t.storageClass), ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE']);
  assert.is(plan.tiers.reduce((n, t) => n + t.events, 0), plan.events.count);
  assert.is(plan.restores.GLACIER.objects, plan.tiers.find((t) => t.storageClass === 'GLACIER')!.objects);
  assert.ok(plan.restores.DEEP_ARCHIVE.objects > 0);
  assert.equal(plan.estimates.map((e) => e.tier), ['Expedited', 'Standard', 'Bulk']);
  assert.ok(plan.estimates[0]!.costMicros > plan.estimates[2]!.costMicros);
});

test('a late arrival (old EventTimeStamp, ingested after the snapshot) is in the plan', async () => {
  const { lake, endOfDay, events } = await buildScenario();
  const late = { ...events.find((e) => e.EventType === 'incoming_payment')!, RequestId: '00000000-0000-4000-8000-000000000001', EventTimeStamp: START_S + 3600 };
  await lake.ingest([late]);
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: endOfDay(5) });
  assert.is(plan.events.count, 1);
  assert.is(plan.tiers[0]!.storageClass, 'STANDARD');
});

test('until keeps only events whose EventTimeStamp is before it', async () => {
  const { lake, events } = await buildScenario();
  const until = (START_S + 3 * DAY_S) * 1000;
  const plan = await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'balances', from: 0, until });
  assert.is(plan.events.count, events.filter((e) => e.EventTimeStamp * 1000 < until).length);
});

test('planning writes nothing: no generation, no restore request', async () => {
  const { lake } = await buildScenario();
  const before = lake.store.applyCalls;
  await new RebuildCoordinator(lake, lake.projections).plan({ projection: 'statement', from: 0 });
  assert.is(lake.store.applyCalls, before);
  assert.is(lake.archive.requests.length, 0);
  assert.is(await lake.store.createGeneration('statement'), 2);
});

test.run();
