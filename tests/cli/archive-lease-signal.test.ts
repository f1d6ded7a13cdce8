// Ctrl-C (or SIGTERM) on a command that holds the archive lease frees it before exiting, so the next archive run is
// not refused with ARCHIVE_RUN_IN_PROGRESS for the lease's minutes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { ARCHIVE_LEASE } from '../../projections/archive-lease.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { TS_CHILD_ARGS } from '../support/ts-child.ts';

const test = suite('archive lease and signals');
const CHILD = fileURLToPath(new URL('../support/fakes/archive-lease-child.ts', import.meta.url));

/** Start the child holding `dataDir`'s archive lease; send it `signal` once it says it holds it. */
function interruptHolder(dataDir: string, signal: NodeJS.Signals): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TS_CHILD_ARGS, CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('holding the archive lease')) child.kill(signal);
    });
    child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} frees the archive lease, says what is kept and how to go on, and exits ${code}`, async () => {
    const dataDir = await emptyDataDir();
    const r = await interruptHolder(dataDir, signal);
    assert.is(r.code, code, r.out);
    assert.match(r.out, `eventlake: interrupted (${signal}): hours compacted so far are kept; run eventlake archive run again to finish`);
    const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
    try {
      assert.is(await checkpoints.get(ARCHIVE_LEASE), 0, 'the lease is free');
    } finally {
      checkpoints.close();
    }
  });
}

test.run();
