// A take of a lease whose write landed but whose answer was lost (DynamoDB retries a dropped conditional put, and the
// retry fails its own condition; or the last try throws a TransientError) holds the lease: reading back its own value,
// the taker must not refuse itself with "held" until its own lease expires. A lease another run holds is still refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { ArchiveRunInProgressError } from '../../domain/projection-errors.ts';
import { ARCHIVE_LEASE, ArchiveLease, DEFAULT_ARCHIVE_LEASE_MS } from '../../projections/archive-lease.ts';
import { leaseExpiry, leaseValue } from '../../projections/lease.ts';
import { rejects } from '../support/async.ts';
import { scriptedCheckpoints, type CheckpointScript } from '../support/fakes/scripted-checkpoints.ts';

const test = suite('lease: a take whose answer was lost');
const NOW = Date.parse('2026-01-01T00:00:00Z');
const clock = { now: () => NOW };

/** Takes the lease through a store scripted with `lost`, then releases it: the lease's expiry while held, and after. */
async function takeAndRelease(lost: Partial<CheckpointScript>): Promise<{ expiry: number; released: number }> {
  const { store, script } = scriptedCheckpoints();
  Object.assign(script, lost);
  const lease = await ArchiveLease.acquire(store, clock);
  const expiry = leaseExpiry(await store.get(ARCHIVE_LEASE));
  await lease.release();
  return { expiry, released: await store.get(ARCHIVE_LEASE) };
}

test('a take that landed but answered false holds the lease, and its release frees it', async () => {
  assert.equal(await takeAndRelease({ lies: 1 }), { expiry: NOW + DEFAULT_ARCHIVE_LEASE_MS, released: 0 });
});

test('a take that landed but threw a TransientError holds the lease, and its release frees it', async () => {
  assert.equal(await takeAndRelease({ failures: 1, landing: true }), { expiry: NOW + DEFAULT_ARCHIVE_LEASE_MS, released: 0 });
});

test('a take that threw a TransientError without landing fails with that error and leaves the lease free', async () => {
  const { store, script } = scriptedCheckpoints();
  Object.assign(script, { failures: 1, landing: false });
  await rejects(() => ArchiveLease.acquire(store, clock), TransientError);
  assert.is(await store.get(ARCHIVE_LEASE), 0);
});

test('a lease another run holds is refused, naming when it expires', async () => {
  const { store } = scriptedCheckpoints();
  const theirs = leaseValue(NOW + 60_000, 7);
  await store.set(ARCHIVE_LEASE, theirs);
  const error = await rejects(() => ArchiveLease.acquire(store, clock), ArchiveRunInProgressError);
  assert.is(error.expiresAt, NOW + 60_000);
  assert.is(await store.get(ARCHIVE_LEASE), theirs);
});

/** `store` where another run writes `theirs` just before each compare-and-set, which then answers or `throws`. */
function beatenTo(theirs: number, throws: boolean): { store: CheckpointStore; beaten: CheckpointStore } {
  const { store } = scriptedCheckpoints();
  const compareAndSet: CheckpointStore['compareAndSet'] = async (name, expected, next) => {
    await store.set(name, theirs);
    if (throws) throw new TransientError('checkpoint compare-and-set failed: SQLITE_BUSY');
    return store.compareAndSet(name, expected, next);
  };
  return { store, beaten: { ...store, compareAndSet } };
}

test('a take beaten by another run between its read and its write is refused, naming that run\'s lease', async () => {
  const theirs = leaseValue(NOW + 60_000, 7);
  const { store, beaten } = beatenTo(theirs, false);
  const error = await rejects(() => ArchiveLease.acquire(beaten, clock), ArchiveRunInProgressError);
  assert.is(error.expiresAt, NOW + 60_000);
  assert.is(await store.get(ARCHIVE_LEASE), theirs);
});

test('a take that threw a TransientError while another run took the lease fails with that error', async () => {
  const theirs = leaseValue(NOW + 60_000, 7);
  const { store, beaten } = beatenTo(theirs, true);
  await rejects(() => ArchiveLease.acquire(beaten, clock), TransientError);
  assert.is(await store.get(ARCHIVE_LEASE), theirs);
});

test.run();
