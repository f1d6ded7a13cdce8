// SIGKILL during compaction: a child compacts every hour of a seeded data dir and is killed before or after a
// segment write, an index relocation or the removal of the compacted objects. After a restart the index resolves
// every event exactly once, nothing is re-applied, and the next compaction run completes the interrupted one.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { FaultPlan } from '../support/faults.ts';
import { testsAhead } from '../support/run-ahead.ts';
import { inCI, Tally } from '../support/summary.ts';
import { compactAll, workloadEvents } from './children/workload.ts';
import { exactlyOnceProblems, scanLogFiles } from './invariants.ts';
import { childScript, runChild } from './run-child.ts';
import { seededDataDir } from './seeded.ts';

const test = suite('SIGKILL during compaction');
// Each kill point has its own data dir and child: they run ahead of their tests, two at a time.
const ahead = testsAhead(test);
const tally = new Tally();
const events = workloadEvents();

// One writeSegment, one relocate and one remove per hour partition (the workload spans about 48 hours).
const POINTS: { port: string; plan: FaultPlan; ci?: boolean }[] = [
  { port: 'log', plan: { method: 'writeSegment', killOnCall: 1 } },
  { port: 'log', plan: { method: 'writeSegment', killAfterCall: 1 }, ci: true },
  { port: 'log', plan: { method: 'writeSegment', killAfterCall: 20 } },
  { port: 'index', plan: { method: 'relocate', killOnCall: 2 } },
  { port: 'index', plan: { method: 'relocate', killAfterCall: 1 }, ci: true },
  { port: 'index', plan: { method: 'relocate', killAfterCall: 30 } },
  { port: 'log', plan: { method: 'remove', killOnCall: 3 } },
  { port: 'log', plan: { method: 'remove', killAfterCall: 1 } },
  { port: 'log', plan: { method: 'remove', killAfterCall: 40 }, ci: true },
];

const label = (p: (typeof POINTS)[number]) => `${p.port}.${p.plan.method} ${p.plan.killOnCall ? `before call ${p.plan.killOnCall}` : `after call ${p.plan.killAfterCall}`}`;

for (const point of POINTS.filter((p) => p.ci || !inCI())) {
  ahead.test(`killed ${label(point)}: every event resolves once, and the next run finishes the compaction`, async () => {
    const dataDir = await seededDataDir();
    const child = await runChild(childScript('crash-child.ts'), ['compact', dataDir, JSON.stringify({ [point.port]: point.plan })]);
    assert.is(child.signal, 'SIGKILL', `the child was not killed (exit ${child.code}): ${child.stderr}`);
    const local = await openLocalEventlake({ dataDir });
    const problems: string[] = [];
    try {
      await local.catchUp();
      problems.push(...(await exactlyOnceProblems(local, events, { logScan: false })).map((p) => `after restart: ${p}`));
      await compactAll(local);
      await local.catchUp();
      problems.push(...(await exactlyOnceProblems(local, events)).map((p) => `after the next run: ${p}`));
      const leftovers = [...scanLogFiles(dataDir).lines.values()].flat().length - events.length;
      if (leftovers !== 0) problems.push(`${leftovers} event lines stored twice after the next run`);
    } finally {
      await local.close();
    }
    tally.add('kill points (compaction)', { tried: 1, survived: problems.length === 0 ? 1 : 0, mismatches: problems.length });
    assert.equal(problems, []);
  });
}

ahead.run();

test('the summary counts every kill point and no failure', () => {
  assert.ok(tally.get('kill points (compaction)', 'tried') > 0);
  assert.is(tally.get('kill points (compaction)', 'mismatches'), 0);
  assert.is(tally.get('kill points (compaction)', 'survived'), tally.get('kill points (compaction)', 'tried'));
});

test.run();
