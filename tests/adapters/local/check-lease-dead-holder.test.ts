// checkLog and `eventlake check` after the archive run holding the archive lease was killed (kill -9): the kernel freed
// the holder's mark (lease-marks.ts), so the check goes on at once, as the next archive run takes the lease over at
// once, instead of waiting for the lease's expiry (5 minutes) and stopping with TRANSIENT. A live holder still stops it.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LEASES_FOLDER } from '../../../adapters/local/lease-marks.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { TransientError } from '../../../domain/errors.ts';
import { ArchiveLease } from '../../../projections/archive-lease.ts';
import { rejects } from '../../support/async.ts';
import { emptyDataDir } from '../../support/empty-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { childScript } from '../../reliability/run-child.ts';
import { runCli } from '../../security/cli-run.ts';
import { TS_CHILD_ARGS } from '../../support/ts-child.ts';

/** A data dir whose archive lease a child process holds (once this resolves), and how to SIGKILL that child. */
async function heldLake(): Promise<{ dataDir: string; kill: () => Promise<void> }> {
  const dataDir = await emptyDataDir();
  const child = spawn(process.execPath, [...TS_CHILD_ARGS, childScript('lease-holder-child.ts'), 'archive', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ended = new Promise<void>((done) => child.on('close', () => done()));
  let [out, err] = ['', ''];
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (d: Buffer) => { if ((out += d.toString()).includes('ready\n')) ready(); });
    void ended.then(() => fail(new Error(`the holder ended before it held the lease: ${err}`)));
  });
  return { dataDir, kill: () => { child.kill('SIGKILL'); return ended; } };
}

/** A data dir whose archive run was killed with SIGKILL while it held the archive lease (unexpired for 5 minutes). */
async function killedLake(): Promise<string> {
  const { dataDir, kill } = await heldLake();
  await kill();
  return dataDir;
}

// Each holder is a child under tsx that takes seconds to start on a busy machine: two only, both started at once before
// the first test, the killed one's data dir copied for each test (as `cp -a` of a data dir would: its mark is unlocked).
const killedTemplate = killedLake();
const alive = heldLake();
for (const lake of [killedTemplate, alive]) lake.catch(() => undefined);
const killedCopy = fixtureCopies(() => killedTemplate);

const test = suite('check after an archive run was killed');

test('checkLog goes on at once when the archive lease\'s holder was killed: no wait, no second walk', async () => {
  const report = await checkLog(await killedCopy(), { leaseWaitMs: 0 });
  assert.ok(report.whole, JSON.stringify(report.findings));
  assert.not.ok(report.rechecked);
});

test('eventlake check exits 0 after a kill -9 of the archive run holding the lease, not 2 (TRANSIENT) after a 30 s wait', async () => {
  const dataDir = await killedCopy();
  const begun = Date.now();
  const r = await runCli(['--data-dir', dataDir, 'check']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, 'TRANSIENT');
  assert.ok(Date.now() - begun < 10_000, `check took ${Date.now() - begun} ms`);
});

test('check leaves the killed holder\'s mark as it was, and the next archive run takes the lease over at once', async () => {
  const dataDir = await killedCopy();
  const marks = readdirSync(join(dataDir, LEASES_FOLDER));
  await checkLog(dataDir, { leaseWaitMs: 0 });
  assert.equal(readdirSync(join(dataDir, LEASES_FOLDER)), marks);
  const local = await openLocalEventlake({ dataDir });
  try {
    await (await ArchiveLease.acquire(local.checkpoints)).release();
  } finally {
    await local.close();
  }
});

test('checkLog still stops with TRANSIENT naming the lease while its holder is alive', async () => {
  const { dataDir, kill } = await alive;
  try {
    const error = await rejects(() => checkLog(dataDir, { leaseWaitMs: 0 }), TransientError);
    assert.match(error.message, 'archive:lease is held until');
  } finally {
    await kill();
  }
});

test.run();
