// A data dir opened read-only (a backup on a read-only mount, a copy another user owns) answers reads as a writable
// open does, from what is on disk, and changes no byte or mtime of it; writes are refused with nothing written.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { openReadOnlyLocalEventlake } from '../../../adapters/local/open-read-only.ts';
import type { LocalEventlake } from '../../../adapters/local/local-eventlake.ts';
import { DataDirNotWritableError, InvalidArgumentError } from '../../../domain/errors.ts';
import { eventlakeStatus } from '../../../projections/status.ts';
import { rejects } from '../../support/async.ts';
import { emittedDataDir, withDataDir } from '../../support/emitted-data-dir.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { snapshotOf } from './open-readonly-faults.ts';

const test = suite('a data dir opened read-only');

const EVENTS = [SAMPLES.cash_deposit!, SAMPLES.cash_withdrawal!];
const ACCOUNT = String(SAMPLES.cash_deposit!['TargetAccount']);

/** What the read commands answer: balances, the indexed events in order, and the status. */
async function answers(local: LocalEventlake) {
  const events = [];
  for await (const e of local.index.between({ from: 0, to: 4_102_444_801 })) events.push([e.id, e.location.key]);
  return { balance: await local.lake.balance(ACCOUNT), balances: [...await local.lake.balances()], events, status: await eventlakeStatus(local) };
}

// One data dir for the tests that write nothing to it (each checks so): emitting fsyncs, and the suite is near its budget.
let shared: Promise<string> | undefined;
const sharedDataDir = (): Promise<string> => (shared ??= emittedDataDir(EVENTS));

/** `snapshotOf` with the data dir's own mtime, which a file created and removed in it changes. */
const listing = (dir: string) => [statSync(dir).mtimeMs, ...snapshotOf(dir)];

async function withReadOnly<T>(dir: string, fn: (local: LocalEventlake) => Promise<T>): Promise<T> {
  const local = await openReadOnlyLocalEventlake({ dataDir: dir });
  try {
    return await fn(local);
  } finally {
    await local.close();
  }
}

test('balances, events and status read read-only equal those of a writable open, and no file or mtime changes', async () => {
  const dir = await sharedDataDir();
  const writable = await withDataDir(dir, answers);
  const before = listing(dir);
  const readOnly = await withReadOnly(dir, async (local) => {
    const read = await answers(local);
    // While open too: a read-only mount has no room for the -shm and -wal files SQLite makes beside a database it opens.
    assert.equal(listing(dir), before, 'nothing is created while the data dir is open');
    return read;
  });
  assert.equal(readOnly, writable);
  assert.equal(listing(dir), before);
});

test('an emit on a data dir opened read-only is refused with DATA_DIR_NOT_WRITABLE naming the folder, writing nothing', async () => {
  const dir = await sharedDataDir();
  const before = listing(dir);
  const error = await withReadOnly(dir, (local) => rejects(() => local.lake.emit(SAMPLES.incoming_payment!), DataDirNotWritableError));
  assert.is(error.details.errno, 'READ_ONLY');
  assert.match(error.message, `storing events on ${dir} failed: ${dir} cannot be written (READ_ONLY: it was opened read-only); nothing was written`);
  assert.match(error.message, 'copy the data dir to a writable place (cp -a)');
  assert.equal(listing(dir), before);
});

test('a snapshot, an archive move and a checkpoint are refused on a data dir opened read-only, writing nothing', async () => {
  const dir = await sharedDataDir();
  const before = listing(dir);
  await withReadOnly(dir, async (local) => {
    await rejects(() => local.snapshots.take('balances', 1, 1), DataDirNotWritableError);
    await rejects(() => local.archive.transition('events/year=2024/month=04/day=24/hour=23/x.ndjson', 'GLACIER'), DataDirNotWritableError);
    await rejects(() => local.checkpoints.set('dispatch', 0), DataDirNotWritableError);
    await rejects(() => local.redriveDeadLetters(), DataDirNotWritableError);
  });
  assert.equal(listing(dir), before);
});

test('events a running writer committed to its -wal file only are read read-only', async () => {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!]);
  const writer = await openLocalEventlake({ dataDir: dir });
  try {
    await writer.lake.emit(SAMPLES.cash_withdrawal!);
    assert.ok(existsSync(join(dir, 'index.db-wal')));
    const expected = await writer.lake.balance(ACCOUNT);
    assert.is(await withReadOnly(dir, (local) => local.lake.balance(ACCOUNT)), expected);
  } finally {
    await writer.close();
  }
});

test('a writable open of a data dir this process has open read-only is refused: its writes would go to the private copies', async () => {
  const dir = await sharedDataDir();
  const before = listing(dir);
  const error = await withReadOnly(dir, () => rejects(() => openLocalEventlake({ dataDir: dir }), InvalidArgumentError));
  assert.match(error.message, `${dir} is open read-only in this process (openReadOnlyLocalEventlake): close that runtime first`);
  assert.equal(listing(dir), before);
});

test('a folder that holds no data dir is refused read-only, and nothing is created there', async () => {
  const dir = join(tempDir(), 'nothing');
  await rejects(() => openReadOnlyLocalEventlake({ dataDir: dir }), InvalidArgumentError);
  assert.not.ok(existsSync(dir));
});

test.run();
