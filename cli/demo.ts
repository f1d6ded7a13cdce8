// `eventlake demo` (= `npm start`): the seed's seven steps end to end on the embedded default, with generated data.
//
// Story: events arrive day by day and are dispatched to the balances and statement projections, with a snapshot of
// each at the end of every day. On the loss day a bad deploy corrupts both projections (and every snapshot after it).
// At the end, a check against the log finds it; the lifecycle has meanwhile moved older weeks to Glacier and Deep
// Archive. Each projection is rebuilt from the last snapshot before the loss — rehydrating archived segments,
// replaying in event-time order — verified against that snapshot and against the log, and promoted.

import type { EventlakeRuntime, LocalEventlakeOptions } from '../projections/runtime.ts';
import type { DomainEvent } from '../domain/event.ts';
import { accountNumber, generateEvents } from '../domain/generator.ts';
import type { LifecyclePolicy } from '../domain/ports/archive-tier.ts';
import type { StorageClass } from '../domain/ports/storage.ts';
import type { Projection } from '../domain/projection.ts';
import { runLifecycle } from '../projections/lifecycle.ts';
import { RebuildCoordinator } from '../projections/rebuild/coordinator.ts';
import type { ProgressListener } from '../projections/rebuild/progress.ts';
import { renderPlan, renderVerify } from '../projections/rebuild/render.ts';
import type { VerifyReport } from '../projections/rebuild/verify.ts';

const DAY_S = 86_400;
/** Monday 2025-01-06T00:00:00Z: a fixed start keeps the demo deterministic for a seed. */
export const DEMO_START_S = 1_736_121_600;

export interface DemoOptions {
  readonly accounts: number;
  readonly days: number;
  readonly eventsPerDay: number;
  readonly dataDir: string;
  readonly seed?: number;
  /** Base of the simulated archive restore delay (Expedited from Glacier takes 1x, Deep Archive Standard 6x). */
  readonly restoreDelayMs?: number;
  /** Rebuild progress (the command passes a bar on a TTY). */
  readonly onProgress?: ProgressListener;
}

export interface DemoReport {
  readonly passed: boolean;
  readonly events: number;
  readonly tiers: Readonly<Record<StorageClass, { objects: number; events: number; bytes: number }>>;
  readonly phases: ReadonlyMap<string, number>;
  readonly verifications: readonly VerifyReport[];
}

/** Lifecycle ages scaled to the demo's span: 28 days gives Glacier after 7 days and Deep Archive after 21. */
export function demoPolicy(days: number): LifecyclePolicy {
  const glacierAfterDays = Math.max(1, Math.round(days / 4));
  return { glacierAfterDays, deepArchiveAfterDays: Math.max(glacierAfterDays + 1, Math.round((days * 3) / 4)) };
}

/** The day the projections are lost: inside the Deep Archive span, so the rebuild crosses every tier. */
export function lossDay(days: number): number {
  return Math.max(1, Math.floor((days - demoPolicy(days).deepArchiveAfterDays) / 2));
}

/** A "bad deploy": changes written to a projection outside its rules, under a made-up event identity. */
function corruption(projection: Projection, accounts: readonly string[], ts: number): { bad: Projection; event: DomainEvent } {
  const bad: Projection = {
    name: projection.name, version: projection.version, handles: () => true, related: () => [],
    decide: () => projection.name === 'balances'
      ? { counters: accounts.map((key) => ({ key, delta: 10_000n })) }
      : { rows: accounts.map((a) => ({ key: `bad-deploy-${a}`, partition: a, value: { account: a, ts, eventId: 'bad-deploy', type: 'bad_deploy', amount: '100.00' } })) },
  };
  return { bad, event: { EventType: 'bad_deploy', SchemaVersion: 1, RequestId: '00000000-0000-4000-8000-00000000dead', EventTimeStamp: ts } };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Run the demo in `options.dataDir` (which should be empty), writing the report to `out`. */
export async function runDemo(open: (options: LocalEventlakeOptions) => Promise<EventlakeRuntime>, options: DemoOptions, out: { write(text: string): unknown }): Promise<DemoReport> {
  const say = (line = '') => out.write(`${line}\n`);
  const phases = new Map<string, number>();
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await fn(); } finally { phases.set(phase, (phases.get(phase) ?? 0) + performance.now() - t0); }
  };
  // The simulated wall clock runs at real speed from wherever the demo sets it, so restore delays still elapse.
  let base = DEMO_START_S * 1000;
  let realStart = Date.now();
  const now = () => base + (Date.now() - realStart);
  const setClock = (ms: number) => { base = ms; realStart = Date.now(); };
  const policy = demoPolicy(options.days);
  const lost = lossDay(options.days);
  const endOfDay = (d: number) => (DEMO_START_S + (d + 1) * DAY_S) * 1000;
  const events = generateEvents({ accounts: options.accounts, days: options.days, eventsPerDay: options.eventsPerDay, start: DEMO_START_S, seed: options.seed ?? 42 });
  say(`eventlake demo: ${events.length} events (5 types), ${options.accounts} accounts, ${options.days} days from ${new Date(DEMO_START_S * 1000).toISOString().slice(0, 10)}, seed ${options.seed ?? 42}`);
  const local = await open({ dataDir: options.dataDir, now, restoreDelayMs: options.restoreDelayMs ?? 100 });
  say(`data dir: ${options.dataDir}`); // only once it opened: a data dir the demo cannot use is not its data dir
  try {
    let lossAt = endOfDay(lost);
    const names = local.projections.filter((p) => p.name === 'balances' || p.name === 'statement');
    // 1-3. emit day by day, dispatch, snapshot every projection at the end of each day; corrupt on the loss day.
    for (let d = 0; d < options.days; d++) {
      setClock(endOfDay(d));
      const last = d === options.days - 1;
      const today = events.filter((e) => e.EventTimeStamp >= DEMO_START_S + d * DAY_S && (last || e.EventTimeStamp < DEMO_START_S + (d + 1) * DAY_S));
      await timed('emit + dispatch', async () => {
        for (let i = 0; i < today.length; i += 1000) await local.lake.emit(today.slice(i, i + 1000));
        await local.catchUp();
      });
      if (d === lost) {
        setClock(endOfDay(d) + 500);
        lossAt = now();
        for (const p of names) {
          const { bad, event } = corruption(p, [accountNumber(1), accountNumber(2), accountNumber(3)], DEMO_START_S + d * DAY_S);
          await local.store.apply(bad, await local.store.liveGeneration(p.name), [event]);
        }
      }
      setClock(endOfDay(d) + 1000);
      await timed('snapshots', async () => {
        for (const p of names) await local.snapshots.take(p.name, await local.store.liveGeneration(p.name), await local.dispatchedPosition());
      });
    }
    const emitMs = phases.get('emit + dispatch')!;
    say(`1. emitted ${events.length} events in ${options.days} daily batches and dispatched them: ${secs(emitMs)} (${Math.round(events.length / (emitMs / 1000))} events/s)`);
    say(`2. took ${options.days * names.length} daily snapshots (${names.map((p) => p.name).join(', ')}): ${secs(phases.get('snapshots')!)}`);
    const coordinator = new RebuildCoordinator(local, local.projections);
    const detect = [];
    for (const p of names) detect.push(await coordinator.verify(p.name, await local.store.liveGeneration(p.name), 'log'));
    say(`3. on ${new Date(lossAt).toISOString()} a bad deploy corrupted the projections; the check against the log finds it:`);
    for (const r of detect) say(`   ${r.projection}: ${r.passed ? 'passed (?)' : `FAILED, ${r.differences.length} difference(s) in ${new Set(r.differences.map((x) => x.account)).size} account(s)`}`);
    // 4. archive older weeks (compacting first), as of the end of the data.
    const endOfData = endOfDay(options.days - 1);
    setClock(endOfData);
    // The lifecycle gets the set instant, not now(): the clock's real-time drift must not move an hour between tiers.
    const lifecycle = await timed('archive', () => runLifecycle(local, { now: endOfData, policy }));
    say(`4. lifecycle (GLACIER after ${policy.glacierAfterDays} days, DEEP_ARCHIVE after ${policy.deepArchiveAfterDays}): compacted ${lifecycle.hoursCompacted} hours into segments: ${secs(phases.get('archive')!)}`);
    for (const c of ['STANDARD', 'GLACIER', 'DEEP_ARCHIVE'] as const) {
      const t = lifecycle.classes[c];
      say(`   ${c.padEnd(13)} ${String(t.events).padStart(8)} events ${String(t.objects).padStart(6)} objects`);
    }
    // 5-7. per projection: plan from the snapshot before the loss, rebuild, verify (snapshot + log), promote.
    const verifications: VerifyReport[] = [];
    let replayed = 0;
    for (const p of names) {
      const plan = await timed('plan', () => coordinator.plan({ projection: p.name, from: lossAt }));
      say(`5. ${renderPlan(plan).join('\n   ')}`);
      const built = await coordinator.rebuild(plan, { restoreTier: 'Expedited', poll: { pollMs: 25, maxPollMs: 200 }, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      for (const ph of built.phases) phases.set(ph.phase === 'snapshot' ? 'restore snapshot' : ph.phase, (phases.get(ph.phase === 'snapshot' ? 'restore snapshot' : ph.phase) ?? 0) + ph.ms);
      replayed += built.checkpoint.applied + built.checkpoint.duplicates + built.checkpoint.skipped;
      say(`6. rebuilt ${p.name} into generation ${built.generation}: rehydrated ${built.rehydrated.objects - built.rehydrated.alreadyReadable} archived object(s) (Expedited; Deep Archive via Standard), replayed ${built.checkpoint.applied} events from ${built.objectsRead} objects at ${built.eventsPerSecond} events/s`);
      const checks = await timed('verify', async () => [
        await coordinator.verify(p.name, built.generation, 'snapshot', { snapshotAt: lossAt }),
        await coordinator.verify(p.name, built.generation, 'log'),
      ]);
      verifications.push(...checks);
      for (const c of checks) say(`7. ${renderVerify(c).join('\n   ')}`);
      if (checks.every((c) => c.passed)) {
        const promoted = await timed('promote', () => coordinator.promote(p.name, built.generation, checks));
        say(`   promoted ${p.name}: generation ${promoted.generation} is live (generation ${promoted.previous} kept for inspection)`);
      }
    }
    for (const p of names) verifications.push(await coordinator.verify(p.name, await local.store.liveGeneration(p.name), 'log'));
    const passed = verifications.every((v) => v.passed);
    const replayMs = phases.get('replay') ?? 0;
    say(`phases: ${[...phases].map(([k, v]) => `${k} ${secs(v)}`).join(', ')}`);
    say(`replay: ${replayed} events in ${secs(replayMs)} (${Math.round(replayed / Math.max(replayMs / 1000, 0.001))} events/s)`);
    say(passed ? 'verification: passed' : 'verification: FAILED');
    if (!passed) for (const v of verifications.filter((x) => !x.passed)) say(renderVerify(v).join('\n'));
    return { passed, events: events.length, tiers: lifecycle.classes, phases, verifications };
  } finally {
    await local.close();
  }
}
