// `eventlake status` on a data dir opened read-only shows a dispatch stall another process recorded there, read from
// the record without writing it (the record, like every file of the data dir, keeps its bytes and mtime).

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DispatchStallRecord, STALL_RECORD_FILE } from '../../adapters/local/dispatch-stall-record.ts';
import { StorageFullError } from '../../domain/errors.ts';
import { snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir, withDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('status on a read-only data dir with a recorded dispatch stall');

/** A pid no process has: one of a process that has ended. */
const endedPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** A data dir whose 2 events are indexed but not dispatched (its dispatch checkpoint moved back), with a stall recorded by an ended process. */
async function stalledDataDir(): Promise<{ dir: string; pid: number }> {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!, SAMPLES.cash_withdrawal!]);
  await withDataDir(dir, (local) => local.checkpoints.set('dispatch', 0));
  const pid = endedPid();
  const record = DispatchStallRecord.open(dir, { pid });
  record.follow({ error: new StorageFullError(join(dir, 'projections.db'), 'applying events failed: no space left on the disk. Free space on that disk'), since: 1_000, retryAt: 2_000, attempts: 3, position: 0 });
  record.close();
  return { dir, pid };
}

test('status --json --read-only shows the recorded stall, its recorder, and changes no file', async () => {
  const { dir, pid } = await stalledDataDir();
  const before = snapshotOf(dir);
  const r = await runCli(['--data-dir', dir, '--read-only', 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as { undispatchedEvents: number; dispatchStalled?: { code: string; where: string; position: number; recordedBy?: { pid: number; running?: boolean } } };
  assert.equal({ behind: status.undispatchedEvents, code: status.dispatchStalled?.code, where: status.dispatchStalled?.where, position: status.dispatchStalled?.position },
    { behind: 2, code: 'STORAGE_FULL', where: join(dir, 'projections.db'), position: 0 });
  assert.equal({ pid: status.dispatchStalled?.recordedBy?.pid, running: status.dispatchStalled?.recordedBy?.running }, { pid, running: false });
  assert.equal(snapshotOf(dir), before);
  assert.ok(before.some((line) => line.startsWith(`${STALL_RECORD_FILE} `)), 'the record is among the files checked');
});

test('a read-only data dir without a record (an older one) shows no stall, and none is created', async () => {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!]);
  rmSync(join(dir, STALL_RECORD_FILE));
  const before = snapshotOf(dir);
  const r = await runCli(['--data-dir', dir, '--read-only', 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(r.stdout) as { dispatchStalled?: unknown }).dispatchStalled, undefined);
  assert.equal(snapshotOf(dir), before);
});

test.run();
