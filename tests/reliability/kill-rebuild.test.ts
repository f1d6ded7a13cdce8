// SIGKILL during a rebuild: a child rebuilds a projection of a seeded data dir into a new generation and is killed
// at a named point (creating the generation, staging or committing a replay batch, writing the checkpoint, reading a
// log object).
// After a restart the rebuild resumes from its checkpoint, verifies against the log, equals the direct fold and
// the live generation, and is promoted.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { foldEvents } from '../../domain/projection.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../projections/rebuild/promote.ts';
import { DEFAULT_REBUILD_LEASE_MS } from '../../projections/rebuild/rebuild-lease.ts';
import { readCheckpoint } from '../../projections/rebuild/replay.ts';
import type { FaultPlan } from '../support/faults.ts';
import { testsAhead } from '../support/run-ahead.ts';
import { inCI, Tally } from '../support/summary.ts';
import { workloadEvents } from './children/workload.ts';
import { exactlyOnceProblems, stateProblems } from './invariants.ts';
import { childScript, runChild } from './run-child.ts';
import { seededDataDir } from './seeded.ts';

const afterLeaseExpired = () => Date.now() + DEFAULT_REBUILD_LEASE_MS;

const test = suite('SIGKILL during a rebuild');
// Each kill point has its own data dir and child: they run ahead of their tests, two at a time.
const ahead = testsAhead(test);
const tally = new Tally();
const events = workloadEvents();

// Batches of 10: createGeneration once, setCheckpoint once at the start, then per batch one `stage` and one `flush`
// of the store's staged replay writer (the batch's writes and its checkpoint in one commit), and one setCheckpoint at
// the end of the pass.
const POINTS: { projection: string; port: string; plan: FaultPlan; ci?: boolean }[] = [
  { projection: 'balances', port: 'store', plan: { method: 'createGeneration', killAfterCall: 1 } },
  { projection: 'balances', port: 'store', plan: { method: 'setCheckpoint', killOnCall: 1 } },
  { projection: 'balances', port: 'store', plan: { method: 'stage', killOnCall: 1 } },
  { projection: 'balances', port: 'store', plan: { method: 'stage', killAfterCall: 3 }, ci: true },
  { projection: 'balances', port: 'store', plan: { method: 'flush', killOnCall: 4 }, ci: true },
  { projection: 'balances', port: 'store', plan: { method: 'flush', killAfterCall: 3 } },
  { projection: 'balances', port: 'store', plan: { method: 'flush', killAfterCall: 7 } },
  { projection: 'balances', port: 'store', plan: { method: 'setCheckpoint', killAfterCall: 2 } },
  { projection: 'balances', port: 'log', plan: { method: 'readObjectBytes', killOnCall: 3 } },
  { projection: 'statement', port: 'store', plan: { method: 'flush', killAfterCall: 2 }, ci: true },
];

const label = (p: (typeof POINTS)[number]) => `${p.projection}: ${p.port}.${p.plan.method} ${p.plan.killOnCall ? `before call ${p.plan.killOnCall}` : `after call ${p.plan.killAfterCall}`}`;

for (const point of POINTS.filter((p) => p.ci || !inCI())) {
  ahead.test(`killed ${label(point)}: the rebuild resumes and ends identical to the fold and to the live generation`, async () => {
    const dataDir = await seededDataDir();
    const child = await runChild(childScript('crash-child.ts'), ['rebuild', dataDir, JSON.stringify({ [point.port]: point.plan }), point.projection]);
    assert.is(child.signal, 'SIGKILL', `the child was not killed (exit ${child.code}): ${child.stderr}`);
    const local = await openLocalEventlake({ dataDir });
    const problems: string[] = [];
    let resumed = 0;
    try {
      const name = point.projection;
      const projection = local.projections.find((p) => p.name === name)!;
      const interrupted = await readCheckpoint(local, name, await local.checkpoints.get(rebuildCheckpointName(name)));
      // The killed child never released its lease: resume as an operator would, once it expired (a clock, no sleep).
      const coordinator = new RebuildCoordinator({ ...local, leaseClock: afterLeaseExpired }, local.projections);
      const built = await coordinator.rebuild(await coordinator.plan({ projection: name, from: 0 }), { batchSize: 10 });
      if (interrupted && interrupted.batches > 0 && !built.resumed) problems.push('a checkpointed rebuild started over instead of resuming');
      if (built.resumed) resumed++;
      const live = await local.store.liveGeneration(name);
      const rebuilt = await local.store.readState(name, built.generation);
      problems.push(...stateProblems(`rebuilt ${name}`, rebuilt, foldEvents(projection, events.map(local.upcast))));
      problems.push(...stateProblems(`rebuilt vs live ${name}`, rebuilt, await local.store.readState(name, live)));
      const check = await coordinator.verify(name, built.generation, 'log');
      if (!check.passed) problems.push(`verify against the log failed: ${check.differences.length} differences`);
      await coordinator.promote(name, built.generation, [check]);
      if ((await local.store.liveGeneration(name)) !== built.generation) problems.push('the rebuilt generation was not promoted');
      await local.catchUp();
      problems.push(...(await exactlyOnceProblems(local, events)));
    } finally {
      await local.close();
    }
    tally.add('kill points (rebuild)', { tried: 1, survived: problems.length === 0 ? 1 : 0, resumed, mismatches: problems.length });
    assert.equal(problems, []);
  });
}

ahead.run();

test('the summary counts every kill point and no failure', () => {
  assert.ok(tally.get('kill points (rebuild)', 'tried') > 0);
  assert.ok(tally.get('kill points (rebuild)', 'resumed') > 0, 'at least one rebuild resumed');
  assert.is(tally.get('kill points (rebuild)', 'mismatches'), 0);
  assert.is(tally.get('kill points (rebuild)', 'survived'), tally.get('kill points (rebuild)', 'tried'));
});

test.run();
