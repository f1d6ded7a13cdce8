import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplayVerificationError } from '../../../domain/projection-errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { foldEvents } from '../../../domain/projection.ts';
import type { ProjectionState } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rejects } from '../../support/async.ts';
import { buildScenario, START_S } from '../../support/fakes/scenario.ts';

const test = suite('rebuild coordinator (in-memory ports)');

const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });

function fold(lake: { projections: readonly { name: string }[] }, name: string, events: DomainEvent[]) {
  return visible(foldEvents((lake.projections as never[]).find((p: { name: string }) => p.name === name)!, events));
}

for (const name of ['balances', 'statement']) {
  test(`${name}: a rebuild from a snapshot across Deep Archive, Glacier and hot objects equals the direct fold`, async () => {
    const { lake, events, endOfDay } = await buildScenario({ restoreDelayMs: 5000 });
    const coordinator = new RebuildCoordinator(lake, lake.projections);
    const plan = await coordinator.plan({ projection: name, from: endOfDay(0) });
    assert.ok(plan.snapshot);
    assert.equal(plan.tiers.map((t) => t.storageClass), ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE']);
    const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk', batchSize: 10 });
    assert.is(built.rehydrated.objects, plan.restores.GLACIER.objects + plan.restores.DEEP_ARCHIVE.objects);
    assert.equal(visible(await lake.store.readState(name, built.generation)), fold(lake, name, events));
  });
}

test('each archived segment is read once, not once per event', async () => {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(0) }), { batchSize: 7 });
  const segmentReads = [...lake.log.reads].filter(([k]) => k.endsWith('segment.ndjson'));
  assert.ok(segmentReads.length > 0);
  assert.equal(segmentReads.filter(([, n]) => n > 1), []);
});

test('a late arrival with an old EventTimeStamp, ingested after the snapshot, is replayed', async () => {
  const { lake, events, endOfDay } = await buildScenario();
  const late = { ...events.find((e) => e.EventType === 'incoming_payment')!, RequestId: '00000000-0000-4000-8000-0000000000aa', EventTimeStamp: START_S + 7200 };
  await lake.ingest([late]);
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(5) }));
  assert.equal(await lake.store.appliedRecord('balances', built.generation, `incoming_payment_${late.RequestId}`), { replay: true });
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, 'balances', [...events, late]));
});

test('an interrupted rebuild resumes after its last checkpoint and ends identical', async () => {
  const { lake, events, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const plan = await coordinator.plan({ projection: 'statement', from: endOfDay(0) });
  const crash = new Error('killed');
  const killed = await coordinator.rebuild(plan, { batchSize: 10, onBatch: (n) => { if (n === 3) throw crash; } }).catch((e: unknown) => e);
  assert.is(killed, crash);
  const generation = await lake.checkpoints.get(rebuildCheckpointName('statement'));
  const resumed = await coordinator.rebuild(await coordinator.plan({ projection: 'statement', from: endOfDay(0) }), { batchSize: 10 });
  assert.ok(resumed.resumed);
  assert.is(resumed.generation, generation);
  assert.is(resumed.checkpoint.duplicates, 0, 'resumed after the checkpoint, not from the start');
  assert.is(resumed.checkpoint.applied + resumed.checkpoint.skipped, plan.events.count);
  assert.equal(visible(await lake.store.readState('statement', resumed.generation)), fold(lake, 'statement', events));
});

test('a rebuild with until holds exactly the events before it', async () => {
  const { lake, events } = await buildScenario();
  const until = (START_S + 2 * 86_400 + 3600) * 1000;
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0, until }));
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, 'balances', events.filter((e) => e.EventTimeStamp * 1000 < until)));
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.ok(check.passed);
});

test('verify passes on an honest rebuild against the log, the last snapshot and the live generation; promote switches reads', async () => {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(1) }));
  const checks = [];
  for (const against of ['log', 'snapshot', 'live'] as const) checks.push(await coordinator.verify('balances', built.generation, against));
  assert.equal(checks.map((c) => c.passed), [true, true, true]);
  assert.ok(checks[0]!.accounts > 1);
  assert.is(await lake.store.liveGeneration('balances'), 1);
  const promoted = await coordinator.promote('balances', built.generation, checks);
  assert.is(promoted.previous, 1);
  assert.is(await lake.store.liveGeneration('balances'), built.generation);
  assert.is(await lake.checkpoints.get(rebuildCheckpointName('balances')), 0);
});

test('a corrupted projection fails verify with a per-account diff, and promote refuses it', async () => {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(1) }));
  const state = await lake.store.readState('balances', built.generation);
  const [account, cents] = [...state.counters].sort()[0]!;
  state.counters.set(account, cents + 1n);
  lake.store.setState('balances', built.generation, state);
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.not.ok(check.passed);
  assert.equal(check.differences, [{ kind: 'counter', account, key: account, expected: String(cents), actual: String(cents + 1n) }]);
  const error = await rejects(() => coordinator.promote('balances', built.generation, [check]), ReplayVerificationError);
  assert.is(error.differences.length, 1);
  assert.is(await lake.store.liveGeneration('balances'), 1);
});

test('a corrupted statement row shows up under its account', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'statement', from: 0 }));
  const state = await lake.store.readState('statement', built.generation);
  const [key, row] = [...state.rows].sort()[0]!;
  state.rows.set(key, { partition: row.partition, value: { ...row.value, amount: '0.01' } });
  lake.store.setState('statement', built.generation, state);
  const check = await coordinator.verify('statement', built.generation, 'snapshot');
  assert.equal(check.differences.map((d) => [d.kind, d.account, d.key]), [['row', row.partition, `${row.partition}/${key}`]]);
});

test('events arriving after the plan are topped up when promoting', async () => {
  const { lake, events, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(2) }));
  const check = await coordinator.verify('balances', built.generation, 'log');
  const extra = { ...events.find((e) => e.EventType === 'cash_withdrawal')!, RequestId: '00000000-0000-4000-8000-0000000000bb' };
  await lake.ingest([extra]);
  await lake.dispatch();
  const promoted = await coordinator.promote('balances', built.generation, [check]);
  assert.is(promoted.toppedUp, 1);
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, 'balances', [...events, extra]));
});

test.run();
