// DispatchTail: index → log → dispatcher → checkpoint, written against ports; here with in-memory ports, and once
// end to end with the local dispatcher and the SQLite projection store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { balancesProjection } from '../../domain/balances.ts';
import { EventNotFoundError, TransientError, UpcastError } from '../../domain/errors.ts';
import { DispatchBlockedError } from '../../domain/projection-errors.ts';
import { accountsOf, eventId, eventKey } from '../../domain/event.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { Dispatcher, PublishOutcome } from '../../domain/ports/dispatcher.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../../domain/ports/event-log.ts';
import { foldEvents } from '../../domain/projection.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { LocalDispatcher } from '../../adapters/local/local-dispatcher.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { SqliteDeadLetterStore } from '../../adapters/local/sqlite-dead-letter-store.ts';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import type { DispatchTailOptions } from '../../projections/dispatch-tail.ts';
import { projectorRoute } from '../../projections/projector.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

/** The log and its index, in memory: positions 1..n in the order events were added. */
class MemoryLake {
  readonly entries: IndexEntry[] = [];
  readonly byKey = new Map<string, DomainEvent>();
  unreadable = new Set<string>();

  add(events: readonly DomainEvent[]): void {
    for (const event of events) {
      const key = eventKey(event);
      this.byKey.set(key, event);
      this.entries.push({ id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: [], location: { key },
        size: 1, storageClass: 'STANDARD', restore: 'NONE', position: this.entries.length + 1 });
    }
  }

  readonly index = {
    afterPosition: async (after: number, limit: number) => {
      const entries = this.entries.filter((e) => e.position > after).slice(0, limit);
      return { entries, next: entries.at(-1)?.position ?? after };
    },
  } as unknown as EventIndex;

  readonly log = {
    read: async (location: EventLocation) => {
      if (this.unreadable.has(location.key)) throw new EventNotFoundError(location.key);
      return this.byKey.get(location.key)!;
    },
  } as unknown as EventLog;
}

/** A dispatcher that records what it was given and fails the ids `failing` holds. */
class RecordingDispatcher implements Dispatcher {
  readonly published: string[] = [];
  readonly calls: string[][] = [];
  failing = new Set<string>();
  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome[]> {
    this.calls.push(events.map(eventId));
    return events.map((e) => {
      const id = eventId(e);
      if (this.failing.has(id)) return { id, status: 'failed', error: 'TRANSIENT: target busy' };
      this.published.push(id);
      return { id, status: 'published' };
    });
  }
}

class MemoryCheckpoints implements CheckpointStore {
  readonly values = new Map<string, number>();
  readonly history: number[] = [];
  async get(name: string) { return this.values.get(name) ?? 0; }
  async set(name: string, position: number) { this.values.set(name, position); this.history.push(position); }
  async compareAndSet(name: string, expected: number, next: number) {
    if ((this.values.get(name) ?? 0) !== expected) return false;
    await this.set(name, next);
    return true;
  }
}

const events = generateEvents({ accounts: 10, days: 1, eventsPerDay: 40, start: 1_700_000_000, seed: 5 });

function setup(extra: Partial<DispatchTailOptions> = {}) {
  const lake = new MemoryLake();
  lake.add(events);
  const dispatcher = new RecordingDispatcher();
  const checkpoints = new MemoryCheckpoints();
  const sleeps: number[] = [];
  const tail = new DispatchTail({ index: lake.index, log: lake.log, dispatcher, checkpoints, batchSize: 10,
    backoff: { baseMs: 1, maxMs: 1 }, sleep: async (ms) => void sleeps.push(ms), ...extra });
  return { lake, dispatcher, checkpoints, tail, sleeps };
}

const test = suite('DispatchTail');

test('drain publishes every indexed event once, in position order, and checkpoints the last position', async () => {
  const { dispatcher, checkpoints, tail } = setup();
  const report = await tail.drain();
  assert.equal(dispatcher.published, events.map(eventId));
  assert.equal(report, { published: events.length, batches: Math.ceil(events.length / 10), retries: 0, position: events.length });
  assert.is(await checkpoints.get('dispatch'), events.length);
});

test('events are read and published in batches of batchSize', async () => {
  const { dispatcher, tail } = setup({ batchSize: 7 });
  await tail.drain();
  assert.ok(dispatcher.calls.every((c) => c.length <= 7));
  assert.is(dispatcher.calls.length, Math.ceil(events.length / 7));
});

test('a second drain publishes only what was indexed since the first', async () => {
  const { lake, dispatcher, tail } = setup();
  await tail.drain();
  const more = generateEvents({ accounts: 10, days: 1, eventsPerDay: 5, start: 1_710_000_000, seed: 6 });
  lake.add(more);
  const report = await tail.drain();
  assert.is(report.published, more.length);
  assert.equal(dispatcher.published, [...events, ...more].map(eventId));
});

test('a drain resumes from the stored checkpoint (a restarted process does not republish)', async () => {
  const { dispatcher, checkpoints, tail } = setup();
  await checkpoints.set('dispatch', 30);
  await tail.drain();
  assert.equal(dispatcher.published, events.slice(30).map(eventId));
});

test('a failed outcome is retried with backoff until published, never skipped', async () => {
  const { dispatcher, tail, sleeps } = setup();
  const stuck = eventId(events[13]!);
  dispatcher.failing.add(stuck);
  let attempts = 0;
  const publish = dispatcher.publish.bind(dispatcher);
  dispatcher.publish = async (batch) => {
    if (batch.some((e) => eventId(e) === stuck) && ++attempts === 3) dispatcher.failing.clear();
    return publish(batch);
  };
  const report = await tail.drain();
  assert.ok(dispatcher.published.includes(stuck));
  assert.is(dispatcher.published.length, events.length);
  assert.is(report.retries, 2);
  assert.is(sleeps.length, 2);
});

test('the checkpoint never passes an unpublished event; the next drain resumes at it', async () => {
  const { dispatcher, checkpoints, tail } = setup({ maxAttempts: 3 });
  const stuck = events[13]!;
  dispatcher.failing.add(eventId(stuck));
  const error = await rejects(() => tail.drain(), TransientError);
  assert.match(error.message, 'position 14');
  assert.is(await checkpoints.get('dispatch'), 13);
  assert.ok(checkpoints.history.every((p) => p <= 13));
  dispatcher.failing.clear();
  await tail.drain();
  assert.is(await checkpoints.get('dispatch'), events.length);
  assert.ok(dispatcher.published.includes(eventId(stuck)));
});

test('only the failed events of a batch are published again', async () => {
  const { dispatcher, tail } = setup({ maxAttempts: 2 });
  dispatcher.failing.add(eventId(events[13]!));
  await rejects(() => tail.drain(), TransientError);
  assert.equal(dispatcher.calls[2], [eventId(events[13]!)]);
});

test('a batch that cannot be read is retried, then drain rejects with the checkpoint before it', async () => {
  const { lake, checkpoints, tail } = setup({ maxAttempts: 2 });
  lake.unreadable.add(lake.entries[25]!.location.key);
  const error = await rejects(() => tail.drain(), TransientError);
  assert.instance(error.cause, EventNotFoundError);
  assert.is(await checkpoints.get('dispatch'), 20);
});

test('upcast is applied to every event read from the log', async () => {
  const seen: DomainEvent[] = [];
  const dispatcher: Dispatcher = { publish: async (batch) => { seen.push(...batch); return batch.map((e) => ({ id: eventId(e), status: 'published' })); } };
  const { tail } = setup({ dispatcher, upcast: (e) => ({ ...e, Upcast: true }) });
  await tail.drain();
  assert.is(seen.length, events.length);
  assert.ok(seen.every((e) => e['Upcast'] === true));
});

test('drains called together run one after the other: nothing is published twice', async () => {
  const { dispatcher, tail } = setup();
  await Promise.all([tail.drain(), tail.drain(), tail.drain()]);
  assert.equal(dispatcher.published, events.map(eventId));
});

test('an empty index drains nothing and leaves the checkpoint at 0', async () => {
  const lake = new MemoryLake();
  const checkpoints = new MemoryCheckpoints();
  const tail = new DispatchTail({ index: lake.index, log: lake.log, dispatcher: new RecordingDispatcher(), checkpoints });
  assert.equal(await tail.drain(), { published: 0, batches: 0, retries: 0, position: 0 });
  assert.equal(checkpoints.history, []);
});

test('end to end with the local dispatcher and projector: balances equal the fold of the log', async () => {
  const dir = tempDir();
  const store = new SqliteProjectionStore(join(dir, 'projections.db'));
  const dispatcher = new LocalDispatcher({ rules: [projectorRoute(store, balancesProjection)], deadLetters: new SqliteDeadLetterStore(join(dir, 'dispatch.db')) });
  const { tail } = setup({ dispatcher, batchSize: 500 });
  await tail.drain();
  assert.equal(await store.counters('balances', 1), foldEvents(balancesProjection, events).counters);
  store.close();
});

test('an object holding several events of a page is read once per page, and every event is published in order', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir);
  const events = generateEvents({ accounts: 10, days: 1, eventsPerDay: 24 * 50, start: 1_700_000_000, seed: 6 });
  const results = await log.append(events);
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  await index.put(events.map((e, i) => ({ id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: accountsOf(e), location: results[i]!.location, size: results[i]!.size, storageClass: 'STANDARD', restore: 'NONE' })));
  const calls = { read: 0, readObject: 0 };
  const counted = Object.assign(Object.create(log) as FsEventLog, {
    read: (l: EventLocation) => { calls.read++; return log.read(l); },
    readObject: (k: string) => { calls.readObject++; return log.readObject(k); },
  });
  const dispatcher = new RecordingDispatcher();
  await new DispatchTail({ index, log: counted, dispatcher, checkpoints: new MemoryCheckpoints(), batchSize: 500 }).drain();
  const objects = new Set(results.map((r) => r.key)).size;
  assert.ok(objects < events.length / 4, `${objects} objects`);
  const pages = Math.ceil(events.length / 500); // an object cut by a page boundary is read once per page
  assert.ok(calls.readObject <= objects + pages && calls.read < events.length / 4, JSON.stringify(calls));
  assert.equal(dispatcher.published, events.map(eventId));
  index.close();
  await log.close();
});

/** An upcast that refuses one event, as a broken upcaster or an edited stored schema does, until `fixed`. */
function refusing(poison: string, state: { fixed: boolean }) {
  return (event: DomainEvent): DomainEvent => {
    if (!state.fixed && eventId(event) === poison) throw new UpcastError(poison, event.EventType, 1, [], 'threw "no FeeType"');
    return event;
  };
}

test('a stored event the registry refuses stops dispatch at once, after every event before it, naming the cause', async () => {
  const poison = eventId(events[13]!);
  const { dispatcher, checkpoints, tail, sleeps } = setup({ upcast: refusing(poison, { fixed: false }) });
  const stopped = await rejects(() => tail.drain(), DispatchBlockedError);
  assert.equal(dispatcher.published, events.slice(0, 13).map(eventId));
  assert.is(await checkpoints.get('dispatch'), 13);
  assert.equal(sleeps, [], 'no retry can change a refusal: none is waited for');
  assert.match(stopped.message, `dispatch stopped at position 14 (${poison}): UPCAST_FAILED: the upcaster`);
});

test('once the upcaster is fixed, the next drain resumes at the refused event and dispatches the rest once', async () => {
  const state = { fixed: false };
  const { dispatcher, tail } = setup({ upcast: refusing(eventId(events[13]!), state) });
  await rejects(() => tail.drain(), DispatchBlockedError);
  state.fixed = true;
  await tail.drain();
  assert.equal(dispatcher.published, events.map(eventId));
});

test('a failure that outlasts every attempt says what the last one was', async () => {
  const { dispatcher, tail } = setup({ maxAttempts: 2 });
  dispatcher.failing.add(eventId(events[0]!));
  const stopped = await rejects(() => tail.drain(), TransientError);
  assert.match(stopped.message, `after 2 attempts: TRANSIENT: ${eventId(events[0]!)}: TRANSIENT: target busy; the next drain resumes there`);
});

test('an upcast function that throws a plain Error refuses that event at once too: it is a function of the stored event, so no retry changes it', async () => {
  const poison = eventId(events[13]!);
  const upcast = (event: DomainEvent): DomainEvent => {
    if (eventId(event) === poison) throw new TypeError("Cannot read properties of undefined (reading 'FeeType')");
    return event;
  };
  const { dispatcher, checkpoints, tail, sleeps } = setup({ upcast });
  const stopped = await rejects(() => tail.drain(), DispatchBlockedError);
  assert.equal(dispatcher.published, events.slice(0, 13).map(eventId));
  assert.is(await checkpoints.get('dispatch'), 13);
  assert.equal(sleeps, []);
  assert.match(stopped.message, `dispatch stopped at position 14 (${poison}): UPCAST_FAILED: the upcaster`);
  assert.match(stopped.message, "reading 'FeeType'");
});

test('an upcast that fails transiently is retried, not a refusal', async () => {
  let failures = 1;
  const upcast = (event: DomainEvent): DomainEvent => {
    if (failures > 0) { failures--; throw new TransientError('schema store busy'); }
    return event;
  };
  const { dispatcher, tail, sleeps } = setup({ upcast });
  await tail.drain();
  assert.equal(dispatcher.published, events.map(eventId));
  assert.is(sleeps.length, 1);
});

test.run();
