import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProjectionState } from '../../../domain/projection.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { DEFAULT_REBUILD_LEASE_MS } from '../../../projections/rebuild/rebuild-lease.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { buildLocalScenario } from '../../support/fakes/local-scenario.ts';
import { TS_CHILD_ARGS } from '../../support/ts-child.ts';

const afterLeaseExpired = () => Date.now() + DEFAULT_REBUILD_LEASE_MS;

const test = suite('a rebuild killed with SIGKILL');
const child = fileURLToPath(new URL('../../support/fakes/rebuild-child.ts', import.meta.url));
const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });

function run(args: string[]): Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [...TS_CHILD_ARGS, child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', fail);
    p.on('close', (code, signal) => done({ code, signal, out }));
  });
}

const scenario = await buildLocalScenario();

for (const name of ['statement', 'balances']) {
  test(`${name}: resumes from its last checkpoint mid-replay and ends identical to the direct fold`, async () => {
    const from = scenario.endOfDay(0);
    const killed = await run([scenario.dataDir, name, String(from), String(scenario.endOfDay(6)), '3', '20']);
    assert.is(killed.signal, 'SIGKILL', killed.out);
    assert.match(killed.out, 'killing after batch 3');
    const local = await scenario.open();
    try {
      const generation = await local.checkpoints.get(rebuildCheckpointName(name));
      const before = await readCheckpoint(local, name, generation);
      assert.is(before?.batches, 3, 'three batches were checkpointed before the kill');
      // The killed child never released its lease: resume as an operator would, once it expired (a clock, no sleep).
      const coordinator = new RebuildCoordinator({ ...local, leaseClock: afterLeaseExpired }, local.projections);
      const plan = await coordinator.plan({ projection: name, from });
      const resumed = await coordinator.rebuild(plan, { batchSize: 20 });
      assert.ok(resumed.resumed);
      assert.is(resumed.generation, generation);
      assert.is(resumed.checkpoint.duplicates, 0, 'resumed after the checkpoint, not from the start');
      assert.is(resumed.checkpoint.applied + resumed.checkpoint.skipped, plan.events.count);
      const projection = local.projections.find((p) => p.name === name)!;
      assert.equal(visible(await local.store.readState(name, generation)), visible(foldEvents(projection, scenario.events)));
      assert.ok((await coordinator.verify(name, generation, 'log')).passed);
    } finally {
      await local.close();
    }
  });
}

test.run();
