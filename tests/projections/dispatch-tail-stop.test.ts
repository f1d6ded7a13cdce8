// DispatchTail's `stop`: asked between batches, it ends a drain that would otherwise follow another process's emits
// for as long as they come (close() waits for the drain in flight). What was published stays checkpointed, and the
// next drain goes on from there, publishing nothing twice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { LocalIndexer } from '../../adapters/local/local-indexer.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { Dispatcher } from '../../domain/ports/dispatcher.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const BATCH = 10;
const deposit = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** A data dir holding `events` indexed deposits none of which was dispatched, the ids published, and a tail maker. */
async function indexedLake(events: number) {
  const dir = tempDir('eventlake-tail-stop-');
  const log = await FsEventLog.open(dir);
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  await log.append(Array.from({ length: events }, (_, i) => deposit(i)));
  await new LocalIndexer({ log, index }).catchUp();
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  const published: string[] = [];
  const dispatcher: Dispatcher = {
    publish: async (batch) => batch.map((e) => {
      published.push(eventId(e));
      return { id: eventId(e), status: 'published' as const };
    }),
  };
  const tail = (stop?: () => boolean) => new DispatchTail({ index, log, dispatcher, checkpoints, batchSize: BATCH, ...(stop ? { stop } : {}) });
  return { published, checkpoints, tail, ids: (await index.afterPosition(0, events)).entries.map((e) => e.id) };
}

const test = suite('DispatchTail: a drain told to stop');

test('publishes its first batch, checkpoints it, and stops before the next', async () => {
  const { published, checkpoints, tail, ids } = await indexedLake(3 * BATCH);
  const report = await tail(() => true).drain();
  assert.equal({ published: report.published, batches: report.batches, stopped: report.stopped }, { published: BATCH, batches: 1, stopped: true });
  assert.equal(published, ids.slice(0, BATCH));
  assert.is(await checkpoints.get('dispatch'), report.position);
});

test('ends caught up, not stopped, when its first batch was the last', async () => {
  const { tail } = await indexedLake(BATCH - 1);
  const report = await tail(() => true).drain();
  assert.is(report.stopped, undefined);
  assert.is(report.published, BATCH - 1);
});

test('the next drain publishes the rest from the checkpoint a stopped one left, each event once', async () => {
  const { published, tail, ids } = await indexedLake(3 * BATCH);
  // Stopped, or the second drain has nothing to go on from and this passes whatever a stopped drain leaves.
  assert.is((await tail(() => true).drain()).stopped, true);
  assert.is((await tail().drain()).published, 2 * BATCH);
  assert.equal(published, ids);
});

test.run();
