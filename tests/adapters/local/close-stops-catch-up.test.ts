// A catch-up running at close() while another runtime on the same data dir emits faster than this one dispatches stops
// at its next batch, so close() returns: it waited for the catch-up, which never caught up with the other writer.
// What the catch-up did stays checkpointed, and the next open goes on from there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setImmediate as yieldToOthers, setTimeout as sleep } from 'node:timers/promises';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { ClosedError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import type { Dispatcher } from '../../../domain/ports/dispatcher.ts';
import type { LocalEventlake, PortName } from '../../../projections/runtime.ts';
import { tempDir } from '../../support/tmp.ts';
import { settlesWithin } from '../../support/async.ts';

const ACCOUNT = 'DE44-5001-0517';
const deposit = (n: number) => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + n, TargetAccount: ACCOUNT, Amount: '1.00',
  LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 1 },
});
/** Events per emit of the other writer. */
const EMIT = 500;
/**
 * How long the closed runtime's dispatcher takes per batch (2,000 events): ≤ 2,000 a second, slower than the writer
 * (6,000-9,000 a second on a loaded machine), so a catch-up that close() did not stop would never end.
 */
const PUBLISH_MS = 1_000;
/** How long close() may take: the rest of one slowed batch and the closing, with room for a loaded machine. */
const CLOSE_WITHIN_MS = 10_000;

/**
 * The writer's ports: its emits are appended and indexed, but it dispatches to no projection, under a checkpoint of its
 * own, so every event it emits waits for the other runtime's dispatch (as one emitting faster than that dispatches).
 */
function ingestOnly<T extends object>(name: PortName, port: T): T {
  if (name === 'dispatcher') {
    const publish: Dispatcher['publish'] = async (events) => events.map((e) => ({ id: eventId(e), status: 'published' as const }));
    return Object.assign(Object.create(port) as T, { publish });
  }
  if (name !== 'checkpoints') return port;
  const own = (checkpoint: string) => (checkpoint === 'dispatch' ? 'ingest-only dispatch' : checkpoint);
  const store = port as T & CheckpointStore;
  return Object.assign(Object.create(port) as T, {
    get: (checkpoint: string) => store.get(own(checkpoint)),
    set: (checkpoint: string, position: number) => store.set(own(checkpoint), position),
  });
}

/** The runtime's dispatcher, taking PUBLISH_MS longer per batch. */
function slowDispatcher<T extends object>(name: PortName, port: T): T {
  if (name !== 'dispatcher') return port;
  const dispatcher = port as T & Dispatcher;
  const publish: Dispatcher['publish'] = async (events) => {
    await sleep(PUBLISH_MS);
    return dispatcher.publish(events);
  };
  return Object.assign(Object.create(port) as T, { publish });
}

/** Another runtime on `dataDir` emitting batches until `stop()`; `emitted()` counts the events it stored. */
async function otherWriter(dataDir: string): Promise<{ emitted: () => number; stop: () => Promise<void> }> {
  const writer = await openLocalEventlake({ dataDir, decorate: ingestOnly });
  let emitted = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      await writer.lake.emit(Array.from({ length: EMIT }, (_, i) => deposit(emitted + i)));
      emitted += EMIT;
      // An emit is synchronous work and microtasks: without a macrotask between them, nothing else of this process ran.
      await yieldToOthers();
    }
  })();
  return {
    emitted: () => emitted,
    stop: async () => {
      stopping = true;
      await loop;
      await writer.close();
    },
  };
}

/**
 * A runtime whose dispatch is slower than a writer already emitting on its data dir, with more than a batch behind it
 * (so a catch-up started now has a second batch to stop before).
 */
async function slowRuntimeBehindWriter(): Promise<{ dataDir: string; local: LocalEventlake; writer: Awaited<ReturnType<typeof otherWriter>> }> {
  const dataDir = tempDir('eventlake-close-catch-up-');
  const local = await openLocalEventlake({ dataDir, decorate: slowDispatcher });
  const writer = await otherWriter(dataDir);
  while (writer.emitted() < 6 * EMIT) await sleep(10);
  return { dataDir, local, writer };
}

/**
 * Fails unless `work` settles within CLOSE_WITHIN_MS. Every wait inside a test's `try` is bounded so: an unbounded one
 * that never ends (the catch-up not stopped) kept the writer emitting, and the file wrote 17 GB in 40 minutes instead
 * of failing.
 */
async function endsWithin(work: Promise<unknown>, what: string): Promise<void> {
  assert.ok(await settlesWithin(work, CLOSE_WITHIN_MS), `${what} had not ended ${CLOSE_WITHIN_MS} ms after close() returned`);
}

const test = suite('local eventlake: close() stops a catch-up that another writer keeps ahead of');

test('close() returns while another runtime keeps emitting faster than the catch-up in flight dispatches', async () => {
  const { local, writer } = await slowRuntimeBehindWriter();
  try {
    const catchingUp = local.catchUp();
    await sleep(PUBLISH_MS / 2); // its first batch is being published
    const closed = await settlesWithin(local.close(), CLOSE_WITHIN_MS);
    assert.ok(closed, `close() had not returned after ${CLOSE_WITHIN_MS} ms`);
    await endsWithin(catchingUp, 'the catch-up in flight');
    assert.ok((await catchingUp).dispatched > 0, 'the catch-up published its batch in flight');
  } finally {
    await writer.stop();
    await local.close();
  }
});

test('a balance read whose catch-up close() cut short refuses with ClosedError instead of answering without the events behind it', async () => {
  const { local, writer } = await slowRuntimeBehindWriter();
  try {
    const refusal = local.lake.balance(ACCOUNT).then(() => undefined, (error: unknown) => error);
    await sleep(PUBLISH_MS / 2);
    assert.ok(await settlesWithin(local.close(), CLOSE_WITHIN_MS), 'close() returned');
    await endsWithin(refusal, 'the balance read');
    assert.instance(await refusal, ClosedError);
  } finally {
    await writer.stop();
    await local.close();
  }
});

test('the next open dispatches every event after a catch-up close() cut short', async () => {
  const { dataDir, local, writer } = await slowRuntimeBehindWriter();
  try {
    const catchingUp = local.catchUp();
    await sleep(PUBLISH_MS / 2);
    assert.ok(await settlesWithin(local.close(), CLOSE_WITHIN_MS), 'close() returned');
    await endsWithin(catchingUp, 'the catch-up in flight');
  } finally {
    await writer.stop();
    await local.close();
  }
  const again = await openLocalEventlake({ dataDir });
  try {
    await again.catchUp();
    assert.is(await again.dispatchedPosition(), await again.index.lastPosition());
    assert.is(await again.lake.balance(ACCOUNT), `${writer.emitted()}.00`);
  } finally {
    await again.close();
  }
});

test.run();
