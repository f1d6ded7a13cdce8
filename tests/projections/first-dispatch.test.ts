// A first dispatch of a large backlog: its batches grow while they stay quick, so the projections commit far fewer
// times (a commit of random idempotency keys rewrites about one B-tree page per event: the work to keep down).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { balancesProjection } from '../../domain/balances.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { Dispatcher, PublishOutcome } from '../../domain/ports/dispatcher.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import { foldEvents } from '../../domain/projection.ts';
import { LocalDispatcher } from '../../adapters/local/local-dispatcher.ts';
import { SqliteDeadLetterStore } from '../../adapters/local/sqlite-dead-letter-store.ts';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { DISPATCH_BATCH, DispatchTail } from '../../projections/dispatch-tail.ts';
import { projectorRoute } from '../../projections/projector.ts';
import { arrayLog, numberedDeposit } from '../support/fakes/array-log.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { tempDir } from '../support/tmp.ts';

/** A dispatcher that publishes everything and records the size of each publish. */
function countingDispatcher(): Dispatcher & { readonly sizes: number[] } {
  const sizes: number[] = [];
  return {
    sizes,
    publish: async (events: readonly DomainEvent[]): Promise<PublishOutcome[]> => {
      sizes.push(events.length);
      return events.map((e) => ({ id: eventId(e), status: 'published' }));
    },
  };
}

const deposits = (from: number, n: number) => Array.from({ length: n }, (_, i) => numberedDeposit(from + i));
/** A clock that moves `step` ms each time it is read. */
const ticking = (step: number) => { let t = 0; return () => (t += step); };

const test = suite('first dispatch of a backlog');

test('a backlog is published in batches that double from DISPATCH_BATCH while each takes under a second', async () => {
  const { index, log } = arrayLog(deposits(0, 14 * DISPATCH_BATCH / 2));
  const dispatcher = countingDispatcher();
  const { checkpoints, positions } = memoryCheckpoints();
  const report = await new DispatchTail({ index, log, dispatcher, checkpoints, now: ticking(10) }).drain();
  assert.equal(dispatcher.sizes, [DISPATCH_BATCH, 2 * DISPATCH_BATCH, 4 * DISPATCH_BATCH]);
  assert.equal(report, { published: 7 * DISPATCH_BATCH, batches: 3, retries: 0, position: 7 * DISPATCH_BATCH });
  assert.is(positions.get('dispatch'), 7 * DISPATCH_BATCH);
});

test('a batch that took a second or more is followed by one of the same size', async () => {
  const { index, log } = arrayLog(deposits(0, 3 * DISPATCH_BATCH));
  const dispatcher = countingDispatcher();
  await new DispatchTail({ index, log, dispatcher, checkpoints: memoryCheckpoints().checkpoints, now: ticking(1_000) }).drain();
  assert.equal(dispatcher.sizes, [DISPATCH_BATCH, DISPATCH_BATCH, DISPATCH_BATCH]);
});

test('a given batchSize stays fixed however quick its batches are', async () => {
  const { index, log } = arrayLog(deposits(0, 9));
  const dispatcher = countingDispatcher();
  await new DispatchTail({ index, log, dispatcher, checkpoints: memoryCheckpoints().checkpoints, batchSize: 3, now: () => 0 }).drain();
  assert.equal(dispatcher.sizes, [3, 3, 3]);
});

test('each drain starts again from DISPATCH_BATCH, so one after a backlog takes a small first batch', async () => {
  const { index, log } = arrayLog(deposits(0, 6 * DISPATCH_BATCH));
  // The index holds the first half for the first drain, all of it for the second.
  let indexed = 3 * DISPATCH_BATCH;
  const growing = { afterPosition: (after: number, limit: number) => index.afterPosition(after, Math.max(0, Math.min(limit, indexed - after))) } as EventIndex;
  const dispatcher = countingDispatcher();
  const tail = new DispatchTail({ index: growing, log, dispatcher, checkpoints: memoryCheckpoints().checkpoints, now: () => 0 });
  await tail.drain();
  indexed = 6 * DISPATCH_BATCH;
  dispatcher.sizes.length = 0;
  await tail.drain();
  assert.equal(dispatcher.sizes, [DISPATCH_BATCH, 2 * DISPATCH_BATCH]);
});

test('through the SQLite store a backlog is applied once, in three commits instead of seven, and balances equal the fold', async () => {
  const events = generateEvents({ accounts: 50, days: 7, eventsPerDay: 2_000, start: 1_700_000_000, seed: 8 }).slice(0, 7 * DISPATCH_BATCH);
  const dir = tempDir();
  const sqlite = new SqliteProjectionStore(join(dir, 'projections.db'));
  let commits = 0;
  const store = new Proxy(sqlite, {
    get: (target, key) => (key === 'apply' ? (...args: Parameters<ProjectionStore['apply']>) => { commits++; return target.apply(...args); } : Reflect.get(target, key, target)),
  });
  const deadLetters = new SqliteDeadLetterStore(join(dir, 'dispatch.db'));
  const dispatcher = new LocalDispatcher({ rules: [projectorRoute(store, balancesProjection)], deadLetters });
  const { index, log } = arrayLog(events);
  const report = await new DispatchTail({ index, log, dispatcher, checkpoints: memoryCheckpoints().checkpoints, now: () => 0 }).drain();
  assert.is(report.published, events.length);
  assert.is(commits, 3);
  assert.equal(await sqlite.counters('balances', 1), foldEvents(balancesProjection, events).counters);
  assert.is(dispatcher.stats.delivered, events.length);
  sqlite.close();
  deadLetters.close();
});

test.run();
