// `eventlake verify --against snapshot` reads the snapshot under the projection's rebuild lease (the one `snapshot
// prune` runs under): refused while another process holds it; and the commands whose verification holds the lease
// already (rebuild, generations promote) still verify against a snapshot, taking it once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { RebuildLease } from '../../projections/rebuild/rebuild-lease.ts';
import { runCli } from '../security/cli-run.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';

const test = suite('eventlake verify against a snapshot under the rebuild lease');

/** A small local lake with a snapshot of each projection at the end of each of its two days. */
async function lake(): Promise<{ dataDir: string; from: string }> {
  const { dataDir, endOfDay } = await buildLocalScenario({ days: 2, eventsPerDay: 10 });
  return { dataDir, from: new Date(endOfDay(0)).toISOString() };
}

/** Whether the rebuild lease of balances is free: taken and released at once. */
async function leaseFree(dataDir: string): Promise<boolean> {
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    return await RebuildLease.acquire(checkpoints, 'balances').then(async (lease) => { await lease.release(); return true; }, () => false);
  } finally {
    checkpoints.close();
  }
}

test('verify --against snapshot while another process holds the lease exits 1 with REBUILD_IN_PROGRESS and prints no report', async () => {
  const { dataDir } = await lake();
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    const held = await RebuildLease.acquire(checkpoints, 'balances'); // a snapshot prune, or a rebuild of balances
    const r = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'snapshot']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /^eventlake: REBUILD_IN_PROGRESS: projection balances: another rebuild of it is running \(its lease runs until \d{4}-.*Z\); wait for it to finish/m);
    assert.is(r.stdout, '');
    await held.release();
    const again = await runCli(['--data-dir', dataDir, 'verify', '--projection', 'balances', '--against', 'snapshot']);
    assert.is(again.code, 0, again.stderr);
  } finally {
    checkpoints.close();
  }
});

test('a rebuild verified against its snapshot and the log passes and promotes: its verification takes the lease once', async () => {
  const { dataDir, from } = await lake();
  const r = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', from, '--against', 'snapshot,log']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'promoted');
  assert.ok(await leaseFree(dataDir), 'the lease is free afterwards');
});

test('generations promote of a kept generation verified against a snapshot passes: its verification takes the lease once', async () => {
  const { dataDir, from } = await lake();
  const kept = await runCli(['--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', from, '--no-promote', '--json']);
  assert.is(kept.code, 0, kept.stderr);
  const generation = String((JSON.parse(kept.stdout.trim().split('\n').find((l) => l.startsWith('{"rebuild"'))!) as { rebuild: { generation: number } }).rebuild.generation);
  const r = await runCli(['--data-dir', dataDir, 'generations', 'promote', generation, '--projection', 'balances', '--against', 'snapshot']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(await leaseFree(dataDir), 'the lease is free afterwards');
});

test.run();
