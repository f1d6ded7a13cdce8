// DynamoDbEventIndex.settledPosition on DynamoDB Local, with an injected clock: concurrent writers commit out of
// position order, so the last position is no high-water mark, and the settled one stays below every put in flight.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { partitionPrefix } from '../../../domain/event.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { settledBelow } from '../../../adapters/aws/dynamodb-index-settled.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

const T0 = 1_700_000_000;
const IN_FLIGHT_MS = 60_000;
const test = suite('DynamoDbEventIndex settled position');

function entry(id: string): NewIndexEntry {
  return { id, type: 'cash_deposit', timestamp: T0, accounts: ['DE-1'], location: { key: `${partitionPrefix(T0)}${id}.event` }, size: 100, storageClass: 'STANDARD', restore: 'NONE' };
}

/** Two writers and a reader of one table on one clock (epoch ms, moved by the test); the next transaction can be held. */
async function setup() {
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'settled');
  const clock = { now: T0 * 1000 };
  const held: { armed: boolean; release?: () => void; reached?: () => void } = { armed: false };
  const name = `hold-${tableName}`;
  db.client.middlewareStack.add((next, context) => async (args) => {
    if (held.armed && context['commandName'] === 'TransactWriteItemsCommand') {
      held.armed = false;
      held.reached?.();
      await new Promise<void>((resolve) => { held.release = resolve; });
    }
    return next(args);
  }, { step: 'initialize', name });
  const make = () => new DynamoDbEventIndex({ client: db.client, tableName, clock: () => clock.now, inFlightMs: IN_FLIGHT_MS });
  /** Start a put whose transaction waits until `release()`; resolves once it waits. */
  const holdNextPut = async (index: DynamoDbEventIndex, e: NewIndexEntry) => {
    const reached = new Promise<void>((resolve) => { held.reached = resolve; });
    held.armed = true;
    const put = index.put([e]);
    await reached;
    return { put, release: () => held.release!() };
  };
  return { clock, a: make(), b: make(), reader: make(), holdNextPut, done: () => db.client.middlewareStack.remove(name) };
}

test('a put in flight keeps the settled position below its own, while a later put is already the last position', async () => {
  const { clock, a, b, reader, holdNextPut, done } = await setup();
  try {
    const first = await holdNextPut(a, entry('a'));
    clock.now += 5;
    const [later] = await b.put([entry('b')]);
    const last = await reader.lastPosition();
    const settled = await reader.settledPosition();
    first.release();
    const [committed] = await first.put;
    assert.ok(committed!.position < last, 'the held put commits below the last position read while it was in flight');
    assert.is(last, later!.position);
    assert.ok(settled < committed!.position, `settled ${settled} is not below the in-flight put's ${committed!.position}`);
  } finally {
    done();
  }
});

test('once inFlightMs has passed since the last put, the settled position is the last position', async () => {
  const { clock, a, reader, done } = await setup();
  try {
    await a.put([entry('a')]);
    assert.ok((await reader.settledPosition()) < (await reader.lastPosition()));
    clock.now += IN_FLIGHT_MS + 1;
    assert.is(await reader.settledPosition(), await reader.lastPosition());
  } finally {
    done();
  }
});

test('an empty index is settled at 0', async () => {
  const { reader, done } = await setup();
  try {
    assert.is(await reader.settledPosition(), 0);
  } finally {
    done();
  }
});

test('an entry taken exactly inFlightMs ago with a tie-break of 0 stays above the settled position', () => {
  const now = T0 * 1000;
  const taken = (now - IN_FLIGHT_MS) * 1000;
  assert.ok(settledBelow(Number.MAX_SAFE_INTEGER, now, IN_FLIGHT_MS) < taken);
});

test('settleMs is inFlightMs and a second; inFlightMs defaults to 2 minutes', async () => {
  const { client } = await dynamoDb();
  assert.is(new DynamoDbEventIndex({ client, tableName: 't', inFlightMs: 5000 }).settleMs, 6000);
  assert.is(new DynamoDbEventIndex({ client, tableName: 't' }).settleMs, 121_000);
});

test('an inFlightMs that is not whole ms from 0 to the longest timer is refused, naming it', async () => {
  const { client } = await dynamoDb();
  for (const inFlightMs of [-1, 1.5, Number.NaN, 0x7fffffff]) {
    assert.throws(() => new DynamoDbEventIndex({ client, tableName: 't', inFlightMs }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'inFlightMs', String(inFlightMs));
  }
});

test.run();
