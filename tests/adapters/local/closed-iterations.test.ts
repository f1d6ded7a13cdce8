// A local eventlake's iterations handed out before close() and stepped after it (an index scan, a log listing, an
// object read) refuse with ClosedError, naming the data dir and how to open it again, like every call after close,
// instead of better-sqlite3's "The database connection is not open" or rows of a closed index's last page.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { ClosedError } from '../../../domain/errors.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { tempDir } from '../../support/tmp.ts';

const deposit = (n: number) => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + n, TargetAccount: 'DE44-5001-0517', Amount: '10.00',
  LocationType: 'ATM', Verified: false, Currency: { '10-euro-bills': 1 },
});
const ALL_TIME = { from: 0, to: 2_000_000_000 };

/** An open local eventlake holding two deposits (in one hour's object files). */
async function lakeOfTwo(): Promise<LocalEventlake> {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-closed-') });
  await local.lake.emit(deposit(1));
  await local.lake.emit(deposit(2));
  return local;
}

/** What stepping `iterator` once more throws (undefined when it does not). */
async function nextFailure(iterator: AsyncIterator<unknown>): Promise<unknown> {
  try {
    await iterator.next();
  } catch (error) {
    return error;
  }
  return undefined;
}

function assertClosed(error: unknown, local: LocalEventlake, what: string): void {
  assert.instance(error, ClosedError, `${what}: ${String(error)}`);
  assert.ok((error as Error).message.includes(local.dataDir), `${what}: the message names the data dir`);
  assert.match((error as Error).message, /openLocalEventlake/, `${what}: the message names how to open it again`);
}

const test = suite('local eventlake: iterations handed out before close and stepped after it');

test('an index scan handed out before close and started after it refuses with ClosedError', async () => {
  const local = await lakeOfTwo();
  const scan = local.index.between(ALL_TIME);
  await local.close();
  assertClosed(await nextFailure(scan[Symbol.asyncIterator]()), local, 'index.between');
});

test('an index scan stopped part-way at close refuses its next step with ClosedError, not a row of its last page', async () => {
  const local = await lakeOfTwo();
  const scan = local.index.between(ALL_TIME)[Symbol.asyncIterator]();
  assert.is((await scan.next()).done, false);
  await local.close();
  assertClosed(await nextFailure(scan), local, 'index.between');
});

test('a log listing and an object read handed out before close refuse with ClosedError', async () => {
  const local = await lakeOfTwo();
  const keys: string[] = [];
  for await (const o of local.log.list('events/')) keys.push(o.key);
  const listing = local.log.list('events/');
  const read = local.log.readObject(keys[0]!);
  await local.close();
  assertClosed(await nextFailure(listing[Symbol.asyncIterator]()), local, 'log.list');
  assertClosed(await nextFailure(read[Symbol.asyncIterator]()), local, 'log.readObject');
});

test('an index scan of an open runtime yields every entry', async () => {
  const local = await lakeOfTwo();
  try {
    const ids: string[] = [];
    for await (const entry of local.index.between(ALL_TIME)) ids.push(entry.id);
    assert.is(ids.length, 2);
  } finally {
    await local.close();
  }
});

test('an index scan of an open runtime may be stepped directly, as the adapter\'s async generator can', async () => {
  const local = await lakeOfTwo();
  try {
    const scan = local.index.between(ALL_TIME) as AsyncIterableIterator<unknown>;
    const steps = [await scan.next(), await scan.next(), await scan.next()];
    assert.equal(steps.map((s) => s.done), [false, false, true]);
  } finally {
    await local.close();
  }
});

test.run();
