// One rebuild of a projection at a time: the coordinator's rebuild runs under the projection's lease (in-memory ports,
// an injected wall clock, no sleeps).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RebuildInProgressError } from '../../../domain/projection-errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { foldEvents } from '../../../domain/projection.ts';
import type { ProjectionState } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { DEFAULT_REBUILD_LEASE_MS, RebuildLease, rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { rejects } from '../../support/async.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';

const test = suite('rebuild lease (in-memory ports)');
const TTL = DEFAULT_REBUILD_LEASE_MS;

const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });
const fold = (lake: MemoryLake, name: string, events: DomainEvent[]) => visible(foldEvents(lake.projections.find((p) => p.name === name)!, events));

/** A scenario whose coordinator reads leases by `clock.now` (epoch ms), which tests move. */
async function setup() {
  const { lake, events } = await buildScenario();
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const coordinator = new RebuildCoordinator(Object.assign(Object.create(lake) as MemoryLake, { leaseClock: () => clock.now }), lake.projections);
  /** Another process's attempt at the lease, at the same clock. */
  const other = (projection = 'balances') => RebuildLease.acquire(lake.checkpoints, projection, { now: () => clock.now });
  return { lake, events, clock, coordinator, other };
}

test('of two concurrent rebuilds of one projection one completes, the other fails at once, and the first one\'s generation is intact', async () => {
  const { lake, events, coordinator } = await setup();
  const plan = await coordinator.plan({ projection: 'balances', from: 0 });
  const [a, b] = await Promise.allSettled([coordinator.rebuild(plan, { batchSize: 10 }), coordinator.rebuild(plan, { batchSize: 10 })]);
  const done = [a, b].filter((r) => r.status === 'fulfilled');
  const failed = [a, b].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  assert.is(done.length, 1);
  assert.is(failed.length, 1);
  assert.instance(failed[0], RebuildInProgressError);
  const built = (done[0] as PromiseFulfilledResult<Awaited<ReturnType<RebuildCoordinator['rebuild']>>>).value;
  assert.is(built.checkpoint.applied, events.length);
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, 'balances', events));
  assert.is(await lake.checkpoints.get(rebuildCheckpointName('balances')), built.generation);
  assert.ok((await coordinator.verify('balances', built.generation, 'log')).passed);
});

test('the refusal names the projection, when the lease expires and what to do, with a stable code', async () => {
  const { coordinator, clock, other } = await setup();
  await other();
  const error = await rejects(async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 })), RebuildInProgressError);
  assert.is(error.code, 'REBUILD_IN_PROGRESS');
  assert.is(error.expiresAt, clock.now + TTL);
  assert.match(error.message, 'projection balances');
  assert.match(error.message, new Date(clock.now + TTL).toISOString());
  assert.match(error.message, 'wait for it to finish');
  assert.match(error.message, '5 minute(s)');
});

test('a refused rebuild creates, drops and resumes nothing', async () => {
  const { lake, coordinator, other } = await setup();
  await other();
  await rejects(async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 })), RebuildInProgressError);
  assert.is(await lake.checkpoints.get(rebuildCheckpointName('balances')), 0);
  assert.is(await lake.store.createGeneration('balances'), 2, 'no generation was created before this one');
});

test('a promote while another rebuild of the projection holds the lease is refused, and the live generation stays', async () => {
  const { lake, coordinator, other } = await setup();
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  const check = await coordinator.verify('balances', built.generation, 'log');
  const held = await other();
  await rejects(() => coordinator.promote('balances', built.generation, [check]), RebuildInProgressError);
  assert.is(await lake.store.liveGeneration('balances'), 1);
  await held.release();
  await coordinator.promote('balances', built.generation, [check]);
  assert.is(await lake.store.liveGeneration('balances'), built.generation);
});

test('the lease of a crashed holder is taken over once it expired', async () => {
  const { lake, events, coordinator, clock, other } = await setup();
  await other(); // never released: its process died
  clock.now += TTL;
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  assert.equal(visible(await lake.store.readState('balances', built.generation)), fold(lake, 'balances', events));
});

test('the lease of a crashed holder still blocks a rebuild a millisecond before it expires', async () => {
  const { coordinator, clock, other } = await setup();
  await other();
  clock.now += TTL - 1;
  await rejects(async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 })), RebuildInProgressError);
});

test('a finished rebuild releases its lease, so the next one starts at once', async () => {
  const { lake, coordinator } = await setup();
  const first = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  assert.is(await lake.checkpoints.get(rebuildLeaseName('balances')), 0);
  const again = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  assert.is.not(again.generation, first.generation, 'the finished generation is kept; the next rebuild builds beside it');
});

test('a rebuild that failed releases its lease, and the next one resumes its generation', async () => {
  const { lake, coordinator } = await setup();
  const plan = await coordinator.plan({ projection: 'statement', from: 0 });
  const crash = new Error('store unavailable');
  assert.is(await coordinator.rebuild(plan, { batchSize: 10, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e), crash);
  assert.is(await lake.checkpoints.get(rebuildLeaseName('statement')), 0);
  assert.ok((await coordinator.rebuild(plan, { batchSize: 10 })).resumed);
});

test('rebuilds of different projections run at the same time', async () => {
  const { lake, events, coordinator } = await setup();
  const built = await Promise.all(['balances', 'statement'].map(async (projection) =>
    coordinator.rebuild(await coordinator.plan({ projection, from: 0 }), { batchSize: 10 })));
  assert.equal(visible(await lake.store.readState('balances', built[0]!.generation)), fold(lake, 'balances', events));
  assert.equal(visible(await lake.store.readState('statement', built[1]!.generation)), fold(lake, 'statement', events));
});

test('a held lease of one projection does not block a rebuild of another', async () => {
  const { coordinator, other } = await setup();
  await other('balances');
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'statement', from: 0 }));
  assert.is(built.projection, 'statement');
});

test('a running rebuild renews its lease with every batch, so a long replay never lets another rebuild in', async () => {
  const { coordinator, clock, other } = await setup();
  const refused: unknown[] = [];
  await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), {
    batchSize: 10,
    onBatch: async () => {
      clock.now += TTL / 2;
      refused.push(await other().then(() => 'taken', (e: unknown) => e));
    },
  });
  assert.ok(refused.length > 4, 'the replay ran longer than two leases');
  assert.ok(refused.every((r) => r instanceof RebuildInProgressError), String(refused));
});

test('a rebuild waiting hours for archive restores renews its lease while it waits', async () => {
  const { lake } = await buildScenario({ restoreDelayMs: 3 * 3_600_000 });
  const refused: unknown[] = [];
  // Another process tries to take the lease after every pause of the restore wait (the fake sleep moves the clock).
  const sleep = async (ms: number) => {
    await lake.sleep(ms);
    refused.push(await RebuildLease.acquire(lake.checkpoints, 'balances', { now: () => lake.clock }).then(() => 'taken', (e: unknown) => e));
  };
  const coordinator = new RebuildCoordinator(Object.assign(Object.create(lake) as MemoryLake, { leaseClock: () => lake.clock, sleep }), lake.projections);
  const started = lake.clock;
  await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { poll: { pollMs: 60_000, maxPollMs: 3_600_000 } });
  assert.ok(lake.clock - started >= 3 * 3_600_000, 'the restores were waited for');
  assert.ok(refused.length > 0);
  assert.ok(refused.every((r) => r instanceof RebuildInProgressError), String(refused));
});

test('a rebuild that stalled past its lease and was taken over stops, and leaves the new holder its lease', async () => {
  const { lake, coordinator, clock, other } = await setup();
  let successor: RebuildLease | undefined;
  const error = await rejects(async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), {
    batchSize: 10,
    onBatch: async (n) => {
      if (n !== 1) return;
      clock.now += TTL; // stalled: its lease expired and another rebuild took it
      successor = await other();
    },
  }), RebuildInProgressError);
  assert.ok(error.lost);
  assert.match(error.message, 'another rebuild took the projection over');
  assert.ok(successor);
  assert.is.not(await lake.checkpoints.get(rebuildLeaseName('balances')), 0, 'the stalled rebuild did not release the successor\'s lease');
  await rejects(() => other(), RebuildInProgressError);
});

test.run();
