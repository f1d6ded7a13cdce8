// `npm run soak`: emitters (in-process and over loopback HTTP), the dispatcher, the lifecycle (compaction into
// segments, archive transitions) and rebuilds (rehydrating archived segments) running together for a bounded time,
// then an exact reconciliation: events in the log = index rows = events applied by a projection = events replayed
// by a rebuild. Prints the counts; exits 1 on any mismatch.
// Usage: npm run soak -- [--seconds 60] [--emitters 4] [--data-dir DIR] [--keep]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startedAsMain } from '../cli/started-as-main.ts';
import { parseArgs } from 'node:util';
import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../cli/server.ts';
import { eventId, type DomainEvent } from '../domain/event.ts';
import { generateEvents } from '../domain/generator.ts';
import type { Projection } from '../domain/projection.ts';
import { runLifecycle } from '../projections/lifecycle.ts';
import { RebuildCoordinator } from '../projections/rebuild/coordinator.ts';
import type { EventlakeRuntime } from '../projections/runtime.ts';
import { countLog } from './soak-log-count.ts';

export { countLog } from './soak-log-count.ts';

export interface SoakOptions {
  readonly seconds: number;
  readonly emitters: number;
  readonly dataDir?: string;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly counts: Readonly<Record<string, number>>;
  readonly mismatches: readonly string[];
}

const START_S = 1_577_836_800; // 2020-01-01T00:00:00Z

/** Counts every event once per type: its counters add up to the number of events it applied. */
const countProjection: Projection = {
  name: 'soak_count', version: 1, handles: () => true, related: () => [],
  decide: (e) => ({ counters: [{ key: e.EventType, delta: 1n }] }),
};

interface EmitterStats {
  emits: number;
  duplicates: number;
  /** Emits that failed (e.g. the catch-up after a stored append) and were retried, as a client would. */
  failures: number;
}

/** One emitter: batches of fresh events, sometimes a retry of an earlier batch, in-process or over HTTP. */
async function emitter(n: number, deadline: number, emit: (events: DomainEvent[], http: boolean) => Promise<string[]>, acked: Set<string>): Promise<EmitterStats> {
  const stats: EmitterStats = { emits: 0, duplicates: 0, failures: 0 };
  let previous: DomainEvent[] = [];
  for (let round = 0; Date.now() < deadline; round++) {
    const retry = round % 7 === 3 && previous.length > 0;
    const events = retry ? previous : generateEvents({ accounts: 40, days: 1, eventsPerDay: 1 + (round % 20), start: START_S + ((round * 8 + n) % 200) * 3600, seed: n * 1_000_003 + round });
    for (let attempt = 1; ; attempt++) {
      try {
        const statuses = await emit(events, round % 2 === 1);
        stats.emits += events.length;
        stats.duplicates += statuses.filter((s) => s === 'duplicate').length;
        break;
      } catch (error) {
        stats.failures++;
        if (attempt >= 10) throw error;
      }
    }
    for (const e of events) acked.add(eventId(e));
    previous = events;
  }
  return stats;
}

/**
 * Rebuild soak_count from the log into a new generation and verify it against the log; then drop it, promote it
 * (while the dispatcher keeps applying to the old live generation) or keep it. Returns the events replayed.
 */
async function rebuildOnce(local: EventlakeRuntime, then: 'drop' | 'promote' | 'keep'): Promise<{ replayed: number; generation: number }> {
  const coordinator = new RebuildCoordinator(local, local.projections);
  const restores = { restoreTier: 'Expedited' as const, poll: { pollMs: 1, maxPollMs: 5 } };
  const built = await coordinator.rebuild(await coordinator.plan({ projection: countProjection.name, from: 0 }), restores);
  const check = await coordinator.verify(countProjection.name, built.generation, 'log', { restoreTier: 'Expedited' });
  if (!check.passed) throw new Error(`rebuild into generation ${built.generation} differs from the log in ${check.differences.length} places`);
  if (then === 'drop') await local.store.dropGeneration(countProjection.name, built.generation);
  if (then === 'promote') await coordinator.promote(countProjection.name, built.generation, [check]);
  return { replayed: built.checkpoint.applied + built.checkpoint.duplicates, generation: built.generation };
}

/** Run the soak and reconcile. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const say = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'eventlake-soak-'));
  const local = await openLocalEventlake({ dataDir, projections: [countProjection], dispatch: { baseDelayMs: 5, maxDelayMs: 50 } });
  const app = buildServer(local);
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/events`;
  const deadline = Date.now() + options.seconds * 1000;
  const acked = new Set<string>();
  say(`soak: ${options.emitters} emitters (half of their batches over ${url}), dispatch and rebuilds for ${options.seconds} s in ${dataDir}`);
  const emit = async (events: DomainEvent[], http: boolean): Promise<string[]> => {
    if (!http) return (await local.lake.emit(events)).map((r) => r.status);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
    if (res.status !== 201) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status);
  };
  let rebuilds = 0;
  let catchUps = 0;
  let lifecycles = 0;
  try {
    const background = async (work: () => Promise<void>, pauseMs: number) => {
      while (Date.now() < deadline) {
        await work();
        await new Promise((done) => setTimeout(done, pauseMs));
      }
    };
    const runs = await Promise.all([
      ...Array.from({ length: options.emitters }, (_, n) => emitter(n, deadline, emit, acked)),
      background(async () => void (await local.catchUp(), catchUps++), 20),
      background(async () => void (await rebuildOnce(local, rebuilds % 2 === 0 ? 'drop' : 'promote'), rebuilds++), 200),
      // Every generated event is years old: hours are compacted (late arrivals into segment-2, -3 …) and archived.
      background(async () => void (await runLifecycle(local, { now: Date.now(), policy: { glacierAfterDays: 30, deepArchiveAfterDays: 2000 } }), lifecycles++), 300),
    ]);
    const emitted = runs.slice(0, options.emitters) as EmitterStats[];
    await local.catchUp();
    const final = await rebuildOnce(local, 'keep');
    const live = await local.store.readState(countProjection.name, await local.store.liveGeneration(countProjection.name));
    const rebuilt = await local.store.readState(countProjection.name, final.generation);
    const sum = (m: Map<string, bigint>) => Number([...m.values()].reduce((a, b) => a + b, 0n));
    const log = countLog(dataDir);
    const counts: Record<string, number> = {
      'events emitted (incl. retries)': emitted.reduce((a, e) => a + e.emits, 0),
      'duplicates reported': emitted.reduce((a, e) => a + e.duplicates, 0),
      'emits failed and retried': emitted.reduce((a, e) => a + e.failures, 0),
      'distinct events acknowledged': acked.size,
      'log objects': log.objects,
      'log event lines': log.lines,
      'log distinct events': log.distinct,
      'index rows': await local.index.count(),
      'applied by the projection': live.applied.size,
      'counted by the projection': sum(live.counters),
      'replayed by the final rebuild': final.replayed,
      'counted by the rebuild': sum(rebuilt.counters),
      'rebuilds during the soak (half promoted)': rebuilds,
      'catch-ups during the soak': catchUps,
      'lifecycle runs during the soak': lifecycles,
      'dead letters': (await local.deadLetters.list()).length,
    };
    const expected = acked.size;
    const mismatches = ['log event lines', 'log distinct events', 'index rows', 'applied by the projection', 'counted by the projection', 'replayed by the final rebuild', 'counted by the rebuild']
      .filter((k) => counts[k] !== expected).map((k) => `${k}: ${counts[k]}, expected ${expected}`);
    if (counts['dead letters'] !== 0) mismatches.push(`dead letters: ${counts['dead letters']}`);
    if ((await local.dispatchedPosition()) !== (await local.index.lastPosition())) mismatches.push('the dispatch checkpoint is behind the index');
    return { counts, mismatches };
  } finally {
    await app.close();
    await local.close();
    if (!options.keep && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function cli(): Promise<number> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, emitters: { type: 'string', default: '4' }, 'data-dir': { type: 'string' }, keep: { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  const emitters = Number(values.emitters);
  if (!(seconds > 0) || !Number.isInteger(emitters) || emitters < 1) {
    process.stderr.write('usage: npm run soak -- [--seconds N > 0] [--emitters N >= 1] [--data-dir DIR] [--keep]\n');
    return 2;
  }
  const report = await runSoak({ seconds, emitters, keep: values.keep, ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) });
  const width = Math.max(...Object.keys(report.counts).map((k) => k.length));
  for (const [k, v] of Object.entries(report.counts)) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  for (const m of report.mismatches) process.stdout.write(`MISMATCH ${m}\n`);
  process.stdout.write(`[summary] soak: ${Object.entries(report.counts).map(([k, v]) => `${k.replace(/[ ().,]+/g, '-').replace(/-+$/, '')}=${v}`).join(' ')} mismatches=${report.mismatches.length}\n`);
  process.stdout.write(report.mismatches.length === 0 ? 'soak: counts reconcile exactly\n' : 'soak: MISMATCH\n');
  return report.mismatches.length === 0 ? 0 : 1;
}

if (startedAsMain(import.meta.url, process.argv[1])) process.exitCode = await cli();
