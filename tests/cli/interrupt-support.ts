// For the tests of Ctrl-C during long local commands: a lake of many deposits (built once per test run, handed out
// as copies), the rebuild lease it holds, and running the CLI as a child process that is signalled at a given moment.

import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { rebuildLeaseName } from '../../projections/rebuild/rebuild-lease.ts';
import { runCli } from '../security/cli-run.ts';
import { withDataDir } from '../support/emitted-data-dir.ts';
import { runFixture } from '../support/run-fixtures.ts';
import { tempDir } from '../support/tmp.ts';

const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));

/** Twenty chunks of a verification's fold (2,000 events each) and a replay of several batches: a signal sent at the first
 * progress line lands well before the end even when the test process is slow to read it (8,000 raced on CI). */
const EVENTS = 40_000;

/** The deposits' data dir, built once per test run (tests/support/run-fixtures.ts): emitting them is most of the cost. */
function depositTemplate(): Promise<string> {
  return runFixture(`interrupt-support deposits ${EVENTS}`, (dir) => withDataDir(dir, async (local) => {
    await local.lake.emit(Array.from({ length: EVENTS }, (_, i) => ({
      EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + i, TargetAccount: `ACC-${String(i % 50).padStart(4, '0')}`,
      Amount: '1.00', LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 1 },
    })));
  }));
}

/** A copy of `template` in a new folder of its own. */
function copyOf(template: string, dir = join(tempDir(), 'lake')): string {
  cpSync(template, dir, { recursive: true });
  return dir;
}

/**
 * A copy of a data dir holding 40,000 deposits in 50 accounts, after `prepare` ran the given eventlake commands on it
 * (each must exit 0). The deposits, and the data dir after each list of commands, are built once per test run and
 * copied for each call.
 */
export async function depositLake(...prepare: (readonly string[])[]): Promise<string> {
  if (prepare.length === 0) return copyOf(await depositTemplate());
  const template = await runFixture(`interrupt-support deposits ${EVENTS} then ${JSON.stringify(prepare)}`, async (dir) => {
    copyOf(await depositTemplate(), dir);
    for (const args of prepare) {
      const r = await runCli(['--data-dir', dir, ...args]);
      assert.is(r.code, 0, r.stderr);
    }
  });
  return copyOf(template);
}

/** One checkpoint store per data dir, kept open: a readiness check asks every 10 ms, and opening costs a few ms of CPU. */
const stores = new Map<string, SqliteCheckpointStore>();
process.on('exit', () => { for (const store of stores.values()) store.close(); });

/** The rebuild lease of balances in `dataDir` (0: free). */
export async function balancesLease(dataDir: string): Promise<number> {
  let checkpoints = stores.get(dataDir);
  if (checkpoints === undefined) {
    checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
    stores.set(dataDir, checkpoints);
  }
  return checkpoints.get(rebuildLeaseName('balances'));
}

/**
 * Run `eventlake --data-dir dataDir ...args` as a child process, send it `signal` as soon as `ready` (asked every
 * 10 ms with what it wrote so far, stdout then stderr) says so, and return its exit code and stderr.
 */
export async function interruptCli(
  dataDir: string, args: readonly string[], signal: NodeJS.Signals, ready: (output: string) => boolean | Promise<boolean>,
): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let [out, err] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  let running = true;
  const closed = new Promise<number | null>((done, fail) => { child.on('close', done); child.on('error', fail); });
  void closed.finally(() => { running = false; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  while (running && !(await ready(out + err))) await new Promise((resume) => setTimeout(resume, 10));
  if (running) child.kill(signal);
  const code = await closed;
  clearTimeout(timer);
  return { code, err };
}
