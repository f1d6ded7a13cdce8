// Ctrl-C on `eventlake rebuild`: the generation stays for the next run to resume, and the lease is freed at once, so
// that run is not refused with REBUILD_IN_PROGRESS for the lease's minutes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rebuildLeaseName } from '../../../projections/rebuild/rebuild-lease.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';

const test = suite('eventlake rebuild interrupted');
const BIN = fileURLToPath(new URL('../../../bin/eventlake.js', import.meta.url));

/** Start a rebuild whose archived objects take ten minutes to restore; SIGINT it once it waits for them. */
function interruptWhileRestoring(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0', '--json'], {
      env: { ...process.env, EVENTLAKE_RESTORE_DELAY_MS: '600000' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/"phase":"rehydrate"/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

test('SIGINT frees the lease, keeps the unfinished generation, says how to resume it and exits 130', async () => {
  const dataDir = await healthyDataDir();
  const r = await interruptWhileRestoring(dataDir);
  assert.is(r.code, 130, r.stderr);
  assert.match(r.stderr, 'eventlake: interrupted (SIGINT): the unfinished generation is kept and its lease freed; run the same eventlake rebuild command again');
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    assert.is(await checkpoints.get(rebuildLeaseName('balances')), 0, 'the lease is free');
    assert.ok((await checkpoints.get(rebuildCheckpointName('balances'))) > 0, 'the unfinished generation is kept for the next run');
  } finally {
    checkpoints.close();
  }
});

test.run();
