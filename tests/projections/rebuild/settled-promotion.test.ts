// A rebuild on an index whose writers commit out of position order (AWS's concurrent indexers; here a fake that holds
// entries in flight): its marks are settled positions, and a promotion waits `settleMs` after the switch before its
// last top-up, so an event the replaced generation got is never lost. Local indexes never make it wait.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventId } from '../../../domain/event.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import { tempDir } from '../../support/tmp.ts';
import { fold, SETTLE_MS, settlingLake as setup, visible } from './settling-lake.ts';

const test = suite('rebuild on an index that commits out of order');

test('an event the replaced generation got before the switch, settled only after it, reaches the promoted generation', async () => {
  const { lake, events, endOfDay, index, slept, hooks, coordinator, late, next, inFlight } = await setup();
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(2) }));
  const check = await coordinator.verify('balances', built.generation, 'log');
  await inFlight();
  // Committed and published: the live generation applies both, while `late` is not yet readable by position.
  await lake.dispatch();
  hooks.whileWaiting = async () => { index.reveal(eventId(late)); };
  slept.length = 0;
  await coordinator.promote('balances', built.generation, [check]);
  assert.equal(await lake.store.appliedRecord('balances', built.generation, eventId(late)), { replay: true });
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, [...events, late, next]));
  assert.is(slept.reduce((a, b) => a + b, 0), SETTLE_MS);
});

test('a plan made while an entry is in flight stops below it, so the rebuild and its promotion still get it', async () => {
  const { lake, events, endOfDay, index, coordinator, late, next, inFlight } = await setup();
  await inFlight();
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(2) });
  const position = (await lake.index.get(eventId(late)))!.position;
  assert.ok(plan.mark < position, `mark ${plan.mark} is not below the in-flight entry's position ${position}`);
  const built = await coordinator.rebuild(plan);
  index.reveal(eventId(late));
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.ok(check.passed, JSON.stringify(check.differences));
  await coordinator.promote('balances', built.generation, [check]);
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, [...events, late, next]));
});

test('the wait after the switch renews the rebuild lease: another rebuild cannot take it meanwhile', async () => {
  const { lake, endOfDay, hooks, coordinator } = await setup({ settleMs: 10_000, leaseTtlMs: 3_000 });
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(2) }));
  const check = await coordinator.verify('balances', built.generation, 'log');
  const attempts: unknown[] = [];
  hooks.whileWaiting = async () => {
    attempts.push(await RebuildLease.acquire(lake.checkpoints, 'balances', { now: () => lake.clock, ttlMs: 3_000 }).catch((e: unknown) => e));
  };
  await coordinator.promote('balances', built.generation, [check]);
  assert.ok(attempts.length > 0);
  assert.equal(attempts.filter((a) => !(a instanceof RebuildInProgressError)), []);
});

test('a rebuild that first finishes a promotion cut short after its switch renews its lease through the settle wait', async () => {
  const { lake, endOfDay, hooks, coordinator } = await setup({ settleMs: 10_000, leaseTtlMs: 3_000 });
  const plan = await coordinator.plan({ projection: 'balances', from: endOfDay(2) });
  const built = await coordinator.rebuild(plan);
  await coordinator.promote('balances', built.generation, [await coordinator.verify('balances', built.generation, 'log')]);
  // Cut short after the switch: live, but its checkpoint never reached 'promoted' (a timeout during the wait, say).
  const cp = (await lake.store.getCheckpoint('balances', built.generation))!;
  await lake.store.setCheckpoint('balances', built.generation, { ...cp, phase: 'finished' });
  const attempts: unknown[] = [];
  hooks.whileWaiting = async () => {
    attempts.push(await RebuildLease.acquire(lake.checkpoints, 'balances', { now: () => lake.clock, ttlMs: 3_000 }).catch((e: unknown) => e));
  };
  await coordinator.rebuild(plan);
  assert.is((await lake.store.getCheckpoint('balances', built.generation))!['phase'], 'promoted');
  assert.ok(attempts.length > 0);
  assert.equal(attempts.filter((a) => !(a instanceof RebuildInProgressError)), []);
});

test('a promotion on an index without settleMs (local) never waits', async () => {
  const { lake, endOfDay } = await buildScenario();
  const slept: number[] = [];
  const coordinator = new RebuildCoordinator(Object.assign(Object.create(lake) as MemoryLake, { sleep: async (ms: number) => { slept.push(ms); } }), lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(2) }));
  const check = await coordinator.verify('balances', built.generation, 'log');
  slept.length = 0;
  await coordinator.promote('balances', built.generation, [check]);
  assert.equal(slept, []);
});

test('the SQLite index commits positions in order: it has no settled position or settle time of its own', async () => {
  const sqlite = new SqliteEventIndex(join(tempDir('eventlake-settled-'), 'index.db'));
  try {
    const index: EventIndex = sqlite;
    assert.equal([typeof index.settledPosition, index.settleMs], ['undefined', undefined]);
  } finally {
    sqlite.close();
  }
});

test.run();
