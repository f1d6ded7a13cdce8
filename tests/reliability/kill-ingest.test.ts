// SIGKILL during ingestion: a real child process emits the workload (each emit appends, indexes and dispatches) and
// is killed at a named point, or at a random moment, or by a simulated power cut. After a restart and the client's
// retry of everything, every event is stored once, indexed once and applied once.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId } from '../../domain/event.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { FaultPlan } from '../support/faults.ts';
import { testsAhead } from '../support/run-ahead.ts';
import { inCI, Tally } from '../support/summary.ts';
import { scratchDir } from './scratch-dir.ts';
import { batchesOf, workloadEvents } from './children/workload.ts';
import { exactlyOnceProblems, scanLogFiles } from './invariants.ts';
import { cutPower } from './power-cut.ts';
import { childScript, runChild } from './run-child.ts';

const test = suite('SIGKILL during ingestion');
// Each kill case has its own data dir and child: they run ahead of their tests, two at a time.
const ahead = testsAhead(test);
const tally = new Tally();
const BATCH = 10;
const events = workloadEvents();
const batches = batchesOf(events, BATCH);
const last = batches.length;

interface KillPoint {
  readonly port: string;
  readonly plan: FaultPlan;
  /** Also run in CI (the full run tries every point). */
  readonly ci?: boolean;
}

// Per emit: 1 log.append, 1 index.putWithCursor, 1 dispatcher.publish, 2 store.apply (balances, statement),
// 1 checkpoints.set and one log.read per event. Points before the first, in the middle, and after the last.
const POINTS: KillPoint[] = [
  { port: 'log', plan: { method: 'append', killOnCall: 1 } },
  { port: 'log', plan: { method: 'append', killOnCall: 4 } },
  { port: 'log', plan: { method: 'append', killAfterCall: 2 }, ci: true },
  { port: 'log', plan: { method: 'append', killAfterCall: last } },
  { port: 'index', plan: { method: 'putWithCursor', killOnCall: 1 } },
  { port: 'index', plan: { method: 'putWithCursor', killOnCall: 3 }, ci: true },
  { port: 'index', plan: { method: 'putWithCursor', killAfterCall: 2 } },
  { port: 'index', plan: { method: 'putWithCursor', killAfterCall: last } },
  { port: 'dispatcher', plan: { method: 'publish', killOnCall: 2 } },
  { port: 'dispatcher', plan: { method: 'publish', killAfterCall: 1 } },
  { port: 'dispatcher', plan: { method: 'publish', killAfterCall: 5 }, ci: true },
  { port: 'store', plan: { method: 'apply', killOnCall: 2 }, ci: true },
  { port: 'store', plan: { method: 'apply', killOnCall: 5 } },
  { port: 'store', plan: { method: 'apply', killAfterCall: 3 }, ci: true },
  { port: 'store', plan: { method: 'apply', killAfterCall: 2 * last } },
  { port: 'checkpoints', plan: { method: 'set', killOnCall: 3 }, ci: true },
  { port: 'checkpoints', plan: { method: 'set', killAfterCall: 4 } },
  { port: 'log', plan: { method: 'read', killOnCall: 15 } },
];

const label = (p: KillPoint) => `${p.port}.${p.plan.method} ${p.plan.killOnCall ? `before call ${p.plan.killOnCall}` : `after call ${p.plan.killAfterCall}`}`;

/** Restart after the kill: nothing acknowledged is lost, the state is consistent, and the client's retry completes it. */
async function restartAndCheck(dataDir: string, acked: readonly number[]): Promise<string[]> {
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.catchUp();
    const scan = scanLogFiles(dataDir);
    const problems = acked.flatMap((b) => batches[b]!.filter((e) => !scan.lines.has(eventId(e))).map((e) => `acknowledged ${eventId(e)} lost`));
    problems.push(...(await exactlyOnceProblems(local, events.filter((e) => scan.lines.has(eventId(e))))).map((p) => `after restart: ${p}`));
    await local.lake.emit(events); // the client did not get every acknowledgement: it retries the whole input
    problems.push(...(await exactlyOnceProblems(local, events)).map((p) => `after retry: ${p}`));
    return problems;
  } finally {
    await local.close();
  }
}

async function killAndRestart(name: string, args: string[], options: { killAfterReadyMs?: number; tear?: boolean } = {}): Promise<void> {
  const dataDir = scratchDir('eventlake-kill-');
  const child = await runChild(childScript('crash-child.ts'), [args[0]!, dataDir, ...args.slice(1)], options);
  assert.is(child.signal, 'SIGKILL', `${name}: the child was not killed (exit ${child.code}): ${child.stderr}`);
  assert.not.ok(child.timedOut, `${name}: the child hung`);
  const acked = child.lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.slice(6)));
  const torn = options.tear ? cutPower(dataDir) : 0;
  const problems = await restartAndCheck(dataDir, acked);
  tally.add('kill points (ingest)', { tried: 1, survived: problems.length === 0 ? 1 : 0, 'torn files': torn, mismatches: problems.length });
  assert.equal(problems, [], name);
}

for (const point of POINTS.filter((p) => p.ci || !inCI())) {
  ahead.test(`killed ${label(point)}: after a restart every event is stored, indexed and applied exactly once`, async () => {
    await killAndRestart(label(point), ['ingest', JSON.stringify({ [point.port]: point.plan }), String(BATCH)]);
  });
}

for (const [i, delay] of [120, 350, 700, 1100].slice(inCI() ? 2 : 0, inCI() ? 3 : 4).entries()) {
  ahead.test(`killed at a random moment (#${i + 1}, ${delay} ms into a stream of emits): nothing acknowledged is lost, nothing doubled`, async () => {
    await killAndRestart(`random ${delay} ms`, ['stream', '{}', String(BATCH)], { killAfterReadyMs: delay });
  });
}

for (const after of inCI() ? [3] : [1, 3, last]) {
  ahead.test(`a power cut after append ${after} (unsynced event files lost or torn): recovery restores them from the journal`, async () => {
    await killAndRestart(`power cut after append ${after}`, ['ingest', JSON.stringify({ log: { method: 'append', killAfterCall: after } }), String(BATCH)], { tear: true });
  });
}

ahead.run();

test('the summary counts every kill point and no failure', () => {
  assert.ok(tally.get('kill points (ingest)', 'tried') > 0);
  assert.is(tally.get('kill points (ingest)', 'mismatches'), 0);
  assert.is(tally.get('kill points (ingest)', 'survived'), tally.get('kill points (ingest)', 'tried'));
});

test.run();
