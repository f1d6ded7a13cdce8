// Fault injection on every port of the local runtime (through `decorate`): failed calls, throttling storms, a
// dependency down for a while, latency. The client retries what was refused; the end state is always exact:
// every event stored, indexed and applied once, snapshots, archive transitions and a verified rebuild included.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { decorateWith, type FaultPlans, type FaultStats } from '../support/faults.ts';
import { inCI, Tally } from '../support/summary.ts';
import { batchesOf, WORKLOAD_START_S, workloadEvents } from './children/workload.ts';
import { exactlyOnceProblems, scanLogFiles } from './invariants.ts';
import { scratchDir } from './scratch-dir.ts';

const test = suite('faults injected into every port');
const tally = new Tally();
const events = workloadEvents();
const DAY_MS = 86_400_000;
const LIFECYCLE = { now: WORKLOAD_START_S * 1000 + 30 * DAY_MS, policy: { glacierAfterDays: 10, deepArchiveAfterDays: 29 } };

/** Call `fn` until it succeeds (at most `max` times), counting the refusals: what a patient client does. */
async function retry<T>(fn: () => Promise<T>, refused: { n: number }, max = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      refused.n++;
      if (attempt >= max) throw error;
    }
  }
}

/** Emit, catch up, snapshot, archive (lifecycle), rebuild from the log through the archive, verify, promote, redrive. */
async function workload(local: EventlakeRuntime, refused: { n: number }, afterIngest: () => void): Promise<void> {
  for (const batch of batchesOf(events, 10)) await retry(() => local.lake.emit(batch), refused);
  await retry(() => local.catchUp(), refused);
  afterIngest();
  await retry(async () => local.snapshots.take('balances', await local.store.liveGeneration('balances'), await local.dispatchedPosition()), refused);
  await retry(() => runLifecycle(local, LIFECYCLE), refused);
  const coordinator = new RebuildCoordinator({ ...local, sleep: async () => {} }, local.projections);
  const built = await retry(async () => coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 20, poll: { pollMs: 1, maxPollMs: 1 } }), refused);
  const check = await retry(() => coordinator.verify('balances', built.generation, 'log'), refused);
  if (!check.passed) throw new Error(`verify failed: ${check.differences.length} differences`);
  await retry(() => coordinator.promote('balances', built.generation, [check]), refused);
  await retry(async () => {
    const { failed } = await local.redriveDeadLetters();
    if (failed > 0) throw new Error(`${failed} dead letters failed again`);
  }, refused);
  await retry(() => local.catchUp(), refused);
}

/** Throws for one event while the plan's port is being failed, so the dead-letter path runs too. */
const flaky = (poison: string, broken: { on: boolean }): Projection => ({
  name: 'flaky', version: 1, handles: () => true, related: () => [],
  decide: (e: DomainEvent) => {
    if (broken.on && eventId(e) === poison) throw new Error('flaky handler');
    return { counters: [{ key: e.EventType, delta: 1n }] };
  },
});

const SCENARIOS: { name: string; plans: FaultPlans; ci?: boolean }[] = [
  { name: 'log: append fails on calls 2 and 5', plans: { log: { method: 'append', failOnCalls: [2, 5] } }, ci: true },
  { name: 'log: every 13th read throttled, 1 ms latency', plans: { log: { method: 'read', transientEvery: 13, latencyMs: 1 } } },
  // Random throttling on the ingest and dispatch paths; long multi-call jobs (a lifecycle run makes hundreds of
  // calls without retrying any) are covered by the deterministic plans instead.
  { name: 'log: 5% of appends and reads throttled at random', plans: { log: { methods: ['append', 'read'], transientRate: 0.05, seed: 5 } } },
  { name: 'index: the indexer\'s put fails twice after the events are stored', plans: { index: { method: 'putWithCursor', failFirst: 2 } }, ci: true },
  { name: 'index: 8% of puts, gets, cursor reads and pages throttled at random', plans: { index: { methods: ['putWithCursor', 'get', 'cursor', 'afterPosition', 'lastPosition'], transientRate: 0.08, seed: 3 } } },
  { name: 'index: relocate and storage-class updates fail on calls 3 and 10 (compaction, archive)', plans: { index: { methods: ['relocate', 'setObjectStorage'], failOnCalls: [3, 10] } } },
  { name: 'index: every 97th call of any method throttled', plans: { index: { transientEvery: 97 } } },
  { name: 'store: every 3rd apply throttled', plans: { store: { method: 'apply', transientEvery: 3 } }, ci: true },
  { name: 'store: down for the first 12 applies (dead letters, then redrive)', plans: { store: { method: 'apply', failFirst: 12 } } },
  { name: 'store: every 4th apply, checkpoint or new generation throttled (rebuilds)', plans: { store: { methods: ['apply', 'setCheckpoint', 'createGeneration'], transientEvery: 4 } } },
  { name: 'dispatcher: publish fails on calls 1 and 3', plans: { dispatcher: { method: 'publish', failOnCalls: [1, 3] } }, ci: true },
  { name: 'checkpoints: set fails on calls 2 and 4', plans: { checkpoints: { method: 'set', failOnCalls: [2, 4] } } },
  { name: 'deadLetters: add fails once while a handler fails', plans: { deadLetters: { method: 'add', failOnCall: 1 } }, ci: true },
  { name: 'snapshots: take fails once, 2 ms latency', plans: { snapshots: { method: 'take', failOnCall: 1, latencyMs: 2 } } },
  { name: 'archive: transition fails on call 2, restore on call 1', plans: { archive: { method: 'transition', failOnCall: 2 } }, ci: true },
  { name: 'archive: restore throttled on every 2nd call', plans: { archive: { method: 'restore', transientEvery: 2 } } },
];

for (const scenario of SCENARIOS.filter((s) => s.ci || !inCI())) {
  test(`${scenario.name}: after the client's retries the end state is exact`, async () => {
    const stats: Record<string, FaultStats> = {};
    const broken = { on: true };
    const poison = eventId(events[5]!);
    const withDeadLetters = 'deadLetters' in scenario.plans;
    const dataDir = scratchDir();
    const projections = withDeadLetters ? [flaky(poison, broken)] : [];
    const faulty = await openLocalEventlake({
      dataDir, projections, decorate: decorateWith(scenario.plans, stats), dispatch: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const refused = { n: 0 };
    try {
      await workload(faulty, refused, () => (broken.on = false)); // "the fix" ships once the events are in
    } finally {
      await faulty.close();
    }
    const local = await openLocalEventlake({ dataDir, projections }); // checked without faults, after a restart
    let problems: string[];
    try {
      problems = await exactlyOnceProblems(local, events);
    } finally {
      await local.close();
    }
    const injected = Object.values(stats).reduce((n, s) => n + s.failed + s.transient, 0);
    tally.add('port faults', { scenarios: 1, injected, 'client retries': refused.n, mismatches: problems.length });
    assert.ok(injected > 0, 'the plan injected at least one fault');
    assert.equal(problems, []);
  });
}

test('a lifecycle run retried after its compaction failed to remove the old objects leaves no event stored twice', async () => {
  const dataDir = scratchDir();
  const local = await openLocalEventlake({ dataDir, decorate: decorateWith({ log: { method: 'remove', failOnCall: 1 } }) });
  try {
    await local.lake.emit(events);
    await runLifecycle(local, LIFECYCLE).catch(() => undefined);
    await runLifecycle(local, LIFECYCLE);
    assert.equal([...scanLogFiles(dataDir).lines].filter(([, lines]) => lines.length > 1).map(([id]) => id), []);
  } finally {
    await local.close();
  }
});

test.run();
