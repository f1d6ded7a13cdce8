// A local eventlake whose projections.db cannot grow (SQLite's max_page_count: the SQLITE_FULL a full disk gives,
// without a mount): emits are stored and acknowledged, reads answer what is applied, status names the stall, close()
// does not wait for it, and once the file may grow again dispatch resumes with every event applied once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageFullError } from '../../domain/errors.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { settlesWithin } from '../support/async.ts';
import { deposits, FULL_DISK_ACCOUNT as ACCOUNT, lakeWithFullProjectionsDb as fullLake } from '../support/full-projections-db.ts';

const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = Date.now();
  const value = await work;
  return { value, ms: Date.now() - start };
};

type FullLake = Awaited<ReturnType<typeof fullLake>>;

/** `fn` on a lake whose projections.db is full, run with 300 events emitted into it (all undispatched); closed after. */
const afterEmitOnFullLake = (fn: (lake: FullLake) => Promise<void>) => async () => {
  const lake = await fullLake();
  try {
    await lake.local.lake.emit(deposits(100, 300));
    await fn(lake);
  } finally {
    await lake.local.close();
  }
};

const test = suite('a local eventlake whose projections.db cannot grow');

test('an emit is stored and acknowledged at once, telling the stall to onCatchUpError', async () => {
  const { local, catchUpErrors } = await fullLake();
  try {
    const { value: results, ms } = await timed(local.lake.emit(deposits(100, 300)));
    assert.ok(results.every((r) => r.status === 'stored'));
    assert.ok(ms < 5_000, `emit took ${ms} ms`);
    assert.instance(catchUpErrors[0], StorageFullError);
  } finally {
    await local.close();
  }
});

test('a read answers from what is applied instead of waiting for dispatch', afterEmitOnFullLake(async ({ local }) => {
  const { value, ms } = await timed(local.lake.balance(ACCOUNT));
  assert.is(value, '10.00');
  assert.ok(ms < 5_000, `balance took ${ms} ms`);
}));

test('status names the stall, the file on the full disk and the events waiting', afterEmitOnFullLake(async ({ local }) => {
  const status = await eventlakeStatus(local);
  assert.is(status.dispatchStalled?.code, 'STORAGE_FULL');
  assert.match(status.dispatchStalled!.where!, /projections\.db$/);
  assert.match(status.dispatchStalled!.message, /Free space on that disk/);
  assert.is(status.undispatchedEvents, 300);
}));

test('nothing is dead-lettered while the disk is full', afterEmitOnFullLake(async ({ local }) => {
  assert.equal(await local.deadLetters.list(), []);
}));

test('close() called while an emit dispatches returns within 3 s', async () => {
  const { local } = await fullLake();
  const emitting = local.lake.emit(deposits(100, 300));
  // close() waits for the emit, whose catch-up retried each of its events with backoff before giving up.
  const closing = local.close();
  assert.ok(await settlesWithin(closing, 3_000), 'close() had not returned within 3 s');
  await emitting;
});

test('once the file may grow, dispatch resumes after its back-off and applies every event once', afterEmitOnFullLake(async ({ local, freeSpace }) => {
  freeSpace();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  // Delivered again from the checkpoint: a repeated emit and read must not count any deposit twice.
  await local.lake.emit(deposits(100, 300));
  assert.is(await local.lake.balance(ACCOUNT), '310.00');
  assert.is((await eventlakeStatus(local)).dispatchStalled, undefined);
  assert.is(local.dispatchStall?.(), undefined);
}));

test.run();
