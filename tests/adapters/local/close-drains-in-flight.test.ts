// A local eventlake's close() refuses new calls at once (ClosedError) but waits for the calls already started: an
// emit in flight at close() answers with its identities and its events are stored, instead of failing part-way with
// better-sqlite3's "The database connection is not open" (a server stopped by SIGTERM while requests run).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { ClosedError } from '../../../domain/errors.ts';
import { tempDir } from '../../support/tmp.ts';

const BATCH = 2_000;
const deposit = (n: number) => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + n, TargetAccount: 'DE44-5001-0517', Amount: '1.00',
  LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 1 },
});
const batch = (size: number, from = 0) => Array.from({ length: size }, (_, i) => deposit(from + i));

/** What `work` rejects with (undefined when it resolves). */
async function failure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  return undefined;
}

const test = suite('local eventlake: close() waits for the calls in flight');

test('an emit of a large batch started before close() resolves with its identities, and its events are stored after reopening', async () => {
  const dataDir = tempDir('eventlake-drain-');
  const local = await openLocalEventlake({ dataDir });
  const emitting = local.lake.emit(batch(BATCH));
  await local.close();
  const results = await emitting;
  assert.is(results.length, BATCH);
  assert.ok(results.every((r) => r.status === 'stored' && r.id.startsWith('cash_deposit_')), 'every event answers stored with its id');
  const again = await openLocalEventlake({ dataDir });
  try {
    assert.is(await again.index.count(), BATCH);
    assert.is(await again.lake.balance('DE44-5001-0517'), `${BATCH}.00`);
  } finally {
    await again.close();
  }
});

test('close() resolves only after the emit in flight has answered', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  const settled: string[] = [];
  const emitting = local.lake.emit(batch(BATCH)).then(() => settled.push('emit'));
  await local.close().then(() => settled.push('close'));
  await emitting;
  assert.equal(settled, ['emit', 'close']);
});

test('a call made while close() waits for an emit in flight is refused with ClosedError', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  const emitting = local.lake.emit(batch(BATCH));
  const closing = local.close();
  const refused = await Promise.all([
    failure(local.lake.emit(deposit(BATCH))), failure(local.lake.balance('DE44-5001-0517')), failure(local.index.count()), failure(local.catchUp()),
  ]);
  for (const error of refused) assert.instance(error, ClosedError, String(error));
  assert.is((await emitting).length, BATCH);
  await closing;
});

test('a read in flight at close() answers its value', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  await local.lake.emit(batch(10));
  const reading = local.lake.balance('DE44-5001-0517');
  await local.close();
  assert.is(await reading, '10.00');
});

test('an index step in flight at close() answers its entry', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  await local.lake.emit(batch(3));
  const scan = local.index.between({ from: 0, to: 2_000_000_000 })[Symbol.asyncIterator]();
  const step = scan.next();
  await local.close();
  assert.is((await step).done, false);
  assert.instance(await failure(scan.next()), ClosedError);
});

test('close() called twice while an emit is in flight: both wait for it', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  let answered = false;
  const emitting = local.lake.emit(batch(BATCH)).then((r) => { answered = true; return r; });
  const [first, second] = [local.close(), local.close()];
  await second;
  assert.ok(answered, 'the second close() resolved after the emit answered');
  await first;
  assert.is((await emitting).length, BATCH);
});

test('lake.prepare after close still validates (it touches no database)', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-drain-') });
  await local.close();
  assert.is(local.lake.prepare([deposit(1)]).length, 1);
});

test.run();
