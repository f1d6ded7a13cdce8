// `eventlake status` (a process of its own, which dispatches nothing) while another process's dispatch is stalled on a
// full disk: it sees the stall as that process recorded it in the data dir, and nothing once dispatch has resumed.
// The stalled process runs in this test process (projections.db held at its size, as tests/support explains); status
// knows it only through the record, as the in-process runtime's memory is not the status runtime's.

import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DispatchStallRecord } from '../../adapters/local/dispatch-stall-record.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { StorageFullError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { deposits, lakeWithFullProjectionsDb } from '../support/full-projections-db.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake status while another process has stalled dispatch');

type Lake = Awaited<ReturnType<typeof lakeWithFullProjectionsDb>>;

/** `fn` with a lake whose dispatch stalled on 30 emitted events (10 applied before), closed after. */
const onStalledLake = (fn: (lake: Lake) => Promise<void>) => async () => {
  const lake = await lakeWithFullProjectionsDb();
  try {
    await lake.local.lake.emit(deposits(100, 30));
    await fn(lake);
  } finally {
    await lake.local.close();
  }
};

const statusJson = async (dataDir: string) => {
  const r = await runCli(['--data-dir', dataDir, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { undispatchedEvents: number; dispatchStalled?: Record<string, unknown> & { recordedBy?: Record<string, unknown> } };
};

/** A pid no process has: one of a process that has ended. */
const endedPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

test('status --json shows the stall the other process recorded: the error, where it stopped, and that process', onStalledLake(async ({ local }) => {
  const { dispatchStalled, undispatchedEvents } = await statusJson(local.dataDir);
  assert.ok(dispatchStalled, 'no dispatchStalled');
  assert.is(dispatchStalled.code, 'STORAGE_FULL');
  assert.match(String(dispatchStalled.where), /projections\.db$/);
  assert.match(String(dispatchStalled.message), /Free space on that disk/);
  assert.equal({ position: dispatchStalled.position, behind: undispatchedEvents }, { position: local.dispatchStall!()!.position, behind: 30 });
  assert.equal({ pid: dispatchStalled.recordedBy?.pid, running: dispatchStalled.recordedBy?.running }, { pid: process.pid, running: true });
}));

test('the text form says STALLED, how far behind, who recorded it, and the error with its fix', onStalledLake(async ({ local }) => {
  const r = await runCli(['--data-dir', local.dataDir, 'status']);
  assert.match(r.stdout, new RegExp(`\\ndispatch: +STALLED at position \\d+, 30 behind, since \\S+ \\(recorded by pid ${process.pid} on \\S+, still running, last tried `));
  assert.match(r.stdout, /\n +STORAGE_FULL: .*projections\.db.*Free space on that disk/);
}));

test('once dispatch resumes the record is cleared, and status shows no stall', onStalledLake(async ({ local, freeSpace }) => {
  freeSpace();
  // The stalled tail's first back-off is 1 s: a catch-up before it would answer the stall without trying.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  assert.is((await local.catchUp()).dispatchStalled, undefined);
  const status = await statusJson(local.dataDir);
  assert.equal({ stalled: status.dispatchStalled, behind: status.undispatchedEvents }, { stalled: undefined, behind: 0 });
  // Not only hidden (nothing is behind): the record itself is gone.
  const record = DispatchStallRecord.open(local.dataDir);
  assert.is(record.read(), undefined);
  record.close();
}));

test('a stall recorded by a process that has ended says it no longer runs, and that the next catch-up tries again', onStalledLake(async ({ local }) => {
  const record = DispatchStallRecord.open(local.dataDir, { pid: endedPid() });
  record.follow(local.dispatchStall!());
  record.close();
  assert.is((await statusJson(local.dataDir)).dispatchStalled?.recordedBy?.running, false);
  const r = await runCli(['--data-dir', local.dataDir, 'status']);
  assert.match(r.stdout, /, no longer running, last tried \S+; the next catch-up \(`eventlake .*run`, or any emit or read\) tries again\)/);
}));

test('a record left behind once nothing is undispatched is not shown: dispatch has caught up since', async () => {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.lake.emit(deposits(1, 3));
    const record = DispatchStallRecord.open(local.dataDir, { pid: endedPid() });
    record.follow({ error: new StorageFullError('/gone/projections.db', 'applying failed: no space left'), since: 1, retryAt: 2, attempts: 1, position: 0 });
    record.close();
    assert.is((await statusJson(local.dataDir)).dispatchStalled, undefined);
  } finally {
    await local.close();
  }
});

test.run();
