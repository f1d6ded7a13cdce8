import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplayVerificationError } from '../../../domain/projection-errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { formatAmount, parseAmount } from '../../../domain/money.ts';
import type { Projection, ProjectionState } from '../../../domain/projection.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { buildLocalScenario, LOCAL_START_S } from '../../support/fakes/local-scenario.ts';

const test = suite('rebuild on the local adapters');
const scenario = await buildLocalScenario();

const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });

async function withLocal<T>(fn: (local: Awaited<ReturnType<typeof scenario.open>>, coordinator: RebuildCoordinator) => Promise<T>): Promise<T> {
  const local = await scenario.open();
  try {
    return await fn(local, new RebuildCoordinator(local, local.projections));
  } finally {
    await local.close();
  }
}

const projectionOf = (local: { projections: readonly Projection[] }, name: string) => local.projections.find((p) => p.name === name)!;

for (const name of ['balances', 'statement']) {
  test(`${name}: a rebuild from a timestamp spanning Deep Archive, Glacier and hot events equals the direct fold`, async () => {
    await withLocal(async (local, coordinator) => {
      const plan = await coordinator.plan({ projection: name, from: scenario.endOfDay(0) });
      assert.ok(plan.snapshot, 'starts from the day-0 snapshot');
      assert.equal(plan.tiers.map((t) => t.storageClass), ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE']);
      // Archived objects a previous test restored are still readable (restored copies live a day): counted, not restored again.
      assert.ok(plan.tiers.filter((t) => t.storageClass !== 'STANDARD').every((t) => t.events > 0));
      const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk', batchSize: 25 });
      assert.ok(built.rehydrated.objects >= plan.restores.GLACIER.objects + plan.restores.DEEP_ARCHIVE.objects);
      const expected = foldEvents(projectionOf(local, name), scenario.events);
      assert.equal(visible(await local.store.readState(name, built.generation)), visible(expected));
      await local.store.dropGeneration(name, built.generation);
    });
  });
}

test('a late arrival (old EventTimeStamp, ingested after the last snapshot) is replayed', async () => {
  await withLocal(async (local, coordinator) => {
    const sample = scenario.events.find((e) => e.EventType === 'incoming_payment')!;
    const late: DomainEvent = { ...sample, RequestId: '00000000-0000-4000-8000-0000000000cc', EventTimeStamp: LOCAL_START_S + 1800 };
    await local.lake.emit([late]);
    await local.catchUp();
    const plan = await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(5) });
    assert.is(plan.events.count, 1);
    const built = await coordinator.rebuild(plan);
    assert.equal(await local.store.appliedRecord('balances', built.generation, `incoming_payment_${late.RequestId}`), { replay: true });
    const expected = foldEvents(projectionOf(local, 'balances'), [...scenario.events, late]);
    assert.equal(visible(await local.store.readState('balances', built.generation)), visible(expected));
    assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
    await local.store.dropGeneration('balances', built.generation);
  });
});

test('a corrupted projection fails verify with a per-account diff and is not promoted', async () => {
  await withLocal(async (local, coordinator) => {
    const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: scenario.endOfDay(2) }));
    const account = 'ACC-000003';
    const before = await local.store.counter('balances', built.generation, account);
    const bad: Projection = { name: 'balances', version: 1, handles: () => true, related: () => [], decide: () => ({ counters: [{ key: account, delta: 500n }] }) };
    await local.store.apply(bad, built.generation, [{ EventType: 'bad_deploy', SchemaVersion: 1, RequestId: '00000000-0000-4000-8000-0000000000dd', EventTimeStamp: LOCAL_START_S }]);
    const check = await coordinator.verify('balances', built.generation, 'log');
    assert.not.ok(check.passed);
    assert.equal(check.differences, [{ kind: 'counter', account, key: account, expected: String(before), actual: String(before! + 500n) }]);
    await rejects(() => coordinator.promote('balances', built.generation, [check]), ReplayVerificationError);
    assert.is.not(await local.store.liveGeneration('balances'), built.generation);
    await local.store.dropGeneration('balances', built.generation);
  });
});

test('verify passes on an honest rebuild (log and the last snapshot) and promote switches the live generation', async () => {
  await withLocal(async (local, coordinator) => {
    const built = await coordinator.rebuild(await coordinator.plan({ projection: 'statement', from: scenario.endOfDay(1) }));
    const checks = [await coordinator.verify('statement', built.generation, 'log'), await coordinator.verify('statement', built.generation, 'snapshot')];
    assert.equal(checks.map((c) => c.passed), [true, true]);
    const live = await coordinator.verify('statement', built.generation, 'live');
    assert.ok(live.passed, 'the dispatched live generation agrees too');
    await coordinator.promote('statement', built.generation, checks);
    assert.is(await local.store.liveGeneration('statement'), built.generation);
    const balances = await local.lake.balances();
    const statementTotal = (await local.store.rows('statement', built.generation, 'ACC-000001')).reduce((n, r) => n + parseAmount(String(r.value['amount'])), 0n);
    assert.is(formatAmount(statementTotal), balances.get('ACC-000001'));
  });
});

test.run();
