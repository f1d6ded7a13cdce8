// DispatchTail's `stop` is asked between the attempts of a batch the dispatcher keeps failing, not only between
// batches: close() waits for the drain in flight, and a batch retried up to maxAttempts with backoff (up to ~11 s by
// default, each attempt a dispatcher's own retries) held close() that long. What the attempts published stays
// checkpointed, and the next drain goes on from it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../domain/errors.ts';
import { eventId } from '../../domain/event.ts';
import type { Dispatcher } from '../../domain/ports/dispatcher.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { arrayLog, numberedDeposit } from '../support/fakes/array-log.ts';

const EVENTS = Array.from({ length: 4 }, (_, i) => numberedDeposit(i));
const { entries: ENTRIES, index, log } = arrayLog(EVENTS);

/** A tail over EVENTS whose dispatcher publishes the first `publishable` of them and fails the rest; `stop` as given. */
function tailFailingAfter(publishable: number, stop: () => boolean) {
  const { checkpoints } = memoryCheckpoints();
  let attempts = 0;
  const dispatcher: Dispatcher = {
    publish: async (events) => {
      attempts += 1;
      return events.map((e) => {
        const ok = EVENTS.indexOf(e) < publishable;
        return ok ? { id: eventId(e), status: 'published' as const } : { id: eventId(e), status: 'failed' as const, error: 'projection store unavailable' };
      });
    },
  };
  const tail = new DispatchTail({ index, log, dispatcher, checkpoints, stop, sleep: async () => undefined });
  return { tail, checkpoints, attempts: () => attempts };
}

const test = suite('DispatchTail: a drain told to stop while its batch is retried');

test('a drain told to stop ends after the failed attempt in hand instead of retrying its batch maxAttempts times', async () => {
  const { tail, attempts } = tailFailingAfter(2, () => true);
  const report = await tail.drain();
  assert.is(attempts(), 1);
  assert.is(report.stopped, true);
});

test('a drain stopped between attempts reports and checkpoints the events its attempts published', async () => {
  const { tail, checkpoints } = tailFailingAfter(2, () => true);
  const report = await tail.drain();
  assert.equal({ published: report.published, position: report.position }, { published: 2, position: ENTRIES[1]!.position });
  assert.is(await checkpoints.get('dispatch'), ENTRIES[1]!.position);
});

test('a drain not told to stop still gives up on a failing batch only after maxAttempts, with TransientError', async () => {
  const { tail, attempts } = tailFailingAfter(2, () => false);
  const error = await tail.drain().then(() => undefined, (e: unknown) => e);
  assert.instance(error, TransientError);
  assert.is(attempts(), 8);
});

test.run();
