// A local eventlake after `close()`: every public method refuses with one typed error, ClosedError (code CLOSED), that
// names the closed data dir and how to open it again, instead of better-sqlite3's "The database connection is not open".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ClosedError, type LocalEventlake } from 'eventlake';
import { openLocalEventlake, SqliteEventIndex } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const DEPOSIT = {
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000, TargetAccount: 'DE44-5001-0517', Amount: '123.45',
  LocationType: 'ATM', Verified: false, Currency: { '100-euro-bills': 1, '20-euro-bills': 1, '1-euro-coins': 3, '20-cents': 2, '5-cents': 1 },
};

async function closedLake(): Promise<LocalEventlake> {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-api-') });
  await local.lake.emit(DEPOSIT);
  await local.close();
  return local;
}

async function failure(call: () => unknown): Promise<unknown> {
  try {
    const result = call();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) break;
    } else {
      await result;
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

function assertClosed(error: unknown, local: LocalEventlake, what: string): void {
  assert.instance(error, ClosedError, `${what}: ${String(error)}`);
  assert.is((error as ClosedError).code, 'CLOSED');
  assert.ok((error as Error).message.includes(local.dataDir), `${what}: the message names the data dir`);
  assert.match((error as Error).message, /openLocalEventlake/, `${what}: the message names how to open it again`);
}

const test = suite('api: a closed local eventlake refuses every call with ClosedError');

test('lake.emit and lake.append after close are refused with ClosedError', async () => {
  const local = await closedLake();
  assertClosed(await failure(() => local.lake.emit(DEPOSIT)), local, 'emit');
  assertClosed(await failure(() => local.lake.append(local.lake.prepare([DEPOSIT]))), local, 'append');
});

test('lake.balance and lake.balances after close are refused with ClosedError', async () => {
  const local = await closedLake();
  assertClosed(await failure(() => local.lake.balance('DE44-5001-0517')), local, 'balance');
  assertClosed(await failure(() => local.lake.balances()), local, 'balances');
});

test('the runtime\'s own methods after close are refused with ClosedError', async () => {
  const local = await closedLake();
  assertClosed(await failure(() => local.catchUp()), local, 'catchUp');
  assertClosed(await failure(() => local.dispatchedPosition()), local, 'dispatchedPosition');
  assertClosed(await failure(() => local.redriveDeadLetters()), local, 'redriveDeadLetters');
});

test('every port of the runtime after close refuses with ClosedError', async () => {
  const local = await closedLake();
  const calls: Record<string, () => unknown> = {
    'log.read': () => local.log.read({ key: 'events/year=2024/month=04/day=24/hour=23/x.event' } as never),
    'index.get': () => local.index.get('cash_deposit_x'),
    'index.lastPosition': () => local.index.lastPosition(),
    'store.liveGeneration': () => local.store.liveGeneration('balances'),
    'snapshots.list': () => local.snapshots.list('balances'),
    'archive.storage': () => local.archive.storage([]),
    'checkpoints.get': () => local.checkpoints.get('dispatch'),
    'deadLetters.list': () => local.deadLetters.list(),
  };
  for (const [what, call] of Object.entries(calls)) assertClosed(await failure(call), local, what);
});

test('a port method that returns an async iterable refuses with ClosedError when iterated after close', async () => {
  const local = await closedLake();
  assertClosed(await failure(() => local.index.between({ from: 0, to: 2_000_000_000 })), local, 'index.between');
});

test('a port of an open runtime is still its adapter: instanceof and constructor name the class', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-api-') });
  try {
    assert.instance(local.index, SqliteEventIndex);
    assert.is(local.index.constructor, SqliteEventIndex, 'fault injectors and logs read constructor.name');
  } finally {
    await local.close();
  }
});

test('closing twice is harmless', async () => {
  const local = await closedLake();
  await local.close();
});

test.run();
