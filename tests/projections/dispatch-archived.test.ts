// DispatchTail meeting an archived object (moved to the archive tier before dispatch reached it): no retry within
// seconds can read it, only a restore, so the drain stops there at once with EVENT_ARCHIVED, after dispatching and
// checkpointing every readable event before it in its page; the first drain after the restore goes on from it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ArchivedEventError, TransientError, UpcastError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { Dispatcher } from '../../domain/ports/dispatcher.ts';
import type { EventIndex, IndexEntry } from '../../domain/ports/event-index.ts';
import type { EventLocation, EventLog, LocatedEvent } from '../../domain/ports/event-log.ts';
import { DispatchBlockedError } from '../../domain/projection-errors.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { rejects } from '../support/async.ts';
import { numberedDeposit } from '../support/fakes/array-log.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';

const PAGE = 10;
const EVENTS = Array.from({ length: 20 }, (_, i) => numberedDeposit(i));

/**
 * EVENTS at positions 1..20 in objects of `keyOf(i)` (an object holding several of a page's events is read whole, as
 * batch objects and segments are); the objects in `archived` throw ArchivedEventError until taken out of it.
 */
function archivedLake(keyOf: (i: number) => string, archived: Set<string>) {
  const entries = EVENTS.map((e, i) => ({ id: eventId(e), location: { key: keyOf(i), offset: i }, position: i + 1 }) as unknown as IndexEntry);
  const reads = { archived: 0 };
  const refuse = (key: string): void => {
    if (!archived.has(key)) return;
    reads.archived++;
    throw new ArchivedEventError(key, 'GLACIER');
  };
  const index = {
    afterPosition: async (after: number, limit: number) => {
      const page = entries.filter((e) => e.position > after).slice(0, limit);
      return { entries: page, next: page.at(-1)?.position ?? after };
    },
  } as unknown as EventIndex;
  const log = {
    read: async (location: EventLocation) => { refuse(location.key); return EVENTS[location.offset!]!; },
    async *readObject(key: string): AsyncIterable<LocatedEvent> {
      refuse(key);
      for (const e of entries.filter((x) => x.location.key === key)) yield { event: EVENTS[e.location.offset!]!, location: e.location };
    },
  } as unknown as EventLog;
  return { entries, index, log, reads };
}

/** A tail over `lake` publishing to a recorder, its sleeps and checkpoint kept for the test. */
function tailOver(lake: ReturnType<typeof archivedLake>, upcast?: (event: DomainEvent) => DomainEvent) {
  const { checkpoints } = memoryCheckpoints();
  const published: string[] = [];
  const sleeps: number[] = [];
  const dispatcher: Dispatcher = {
    publish: async (events) => events.map((e) => (published.push(eventId(e)), { id: eventId(e), status: 'published' as const })),
  };
  const tail = new DispatchTail({ index: lake.index, log: lake.log, dispatcher, checkpoints, batchSize: PAGE, sleep: async (ms) => void sleeps.push(ms), ...(upcast ? { upcast } : {}) });
  return { tail, checkpoints, published, sleeps };
}

const ids = (from: number, to: number) => EVENTS.slice(from, to).map(eventId);
const ownObject = (i: number) => `o${i}`;

const test = suite('DispatchTail: an archived object');

test('the drain stops at once with the archived error (EVENT_ARCHIVED), without retrying or backing off', async () => {
  const lake = archivedLake(ownObject, new Set(['o13']));
  const { tail, sleeps } = tailOver(lake);
  const error = await rejects(() => tail.drain(), ArchivedEventError);
  assert.is(error.code, 'EVENT_ARCHIVED');
  assert.is(error.key, 'o13');
  assert.equal(sleeps, [], 'no wait within a drain can end an archive: none is slept');
  assert.is(lake.reads.archived, 1);
});

test('the readable events before the archived object in its page are dispatched and checkpointed', async () => {
  const { tail, checkpoints, published } = tailOver(archivedLake(ownObject, new Set(['o13'])));
  await rejects(() => tail.drain(), ArchivedEventError);
  assert.equal(published, ids(0, 13));
  assert.is(await checkpoints.get('dispatch'), 13);
});

test('the events after the archived object wait with it, even the readable ones', async () => {
  const { tail, published } = tailOver(archivedLake(ownObject, new Set(['o13'])));
  await rejects(() => tail.drain(), ArchivedEventError);
  assert.not.ok(published.includes(eventId(EVENTS[14]!)));
});

test('once the object is restored the next drain goes on from it: every event once, in order', async () => {
  const archived = new Set(['o13']);
  const { tail, checkpoints, published } = tailOver(archivedLake(ownObject, archived));
  await rejects(() => tail.drain(), ArchivedEventError);
  await rejects(() => tail.drain(), ArchivedEventError);
  archived.clear();
  const report = await tail.drain();
  assert.equal(published, ids(0, 20));
  assert.equal({ published: report.published, position: await checkpoints.get('dispatch') }, { published: 7, position: 20 });
});

test('an archived object holding several of the page\'s events (read whole) waits the same way, after the events before it', async () => {
  // Events 13..18 of the second page in one batch object, archived; the others each in their own.
  const lake = archivedLake((i) => (i >= 13 && i < 19 ? 'batch' : ownObject(i)), new Set(['batch']));
  const { tail, checkpoints, published, sleeps } = tailOver(lake);
  const error = await rejects(() => tail.drain(), ArchivedEventError);
  assert.is(error.key, 'batch');
  assert.equal(published, ids(0, 13));
  assert.is(await checkpoints.get('dispatch'), 13);
  assert.equal(sleeps, []);
});

test('an event the registry refuses before the archived object stops dispatch as blocked, at that event', async () => {
  const poison = eventId(EVENTS[11]!);
  const upcast = (event: DomainEvent): DomainEvent => {
    if (eventId(event) === poison) throw new UpcastError(poison, event.EventType, 1, [], 'threw');
    return event;
  };
  const { tail, published } = tailOver(archivedLake(ownObject, new Set(['o13'])), upcast);
  const error = await rejects(() => tail.drain(), DispatchBlockedError);
  assert.is(error.position, 12);
  assert.equal(published, ids(0, 11));
});

test('a read failing transiently before the archived object is still retried with backoff, not taken for the wait', async () => {
  const lake = archivedLake(ownObject, new Set(['o13']));
  let failures = 1;
  const read = lake.log.read.bind(lake.log);
  lake.log.read = async (location) => {
    if (location.key === 'o11' && failures > 0) { failures--; throw new TransientError('disk busy'); }
    return read(location);
  };
  const { tail, published, sleeps } = tailOver(lake);
  await rejects(() => tail.drain(), ArchivedEventError);
  assert.is(sleeps.length, 1);
  assert.equal(published, ids(0, 13));
});

test.run();
