// LocalDispatcher and a rule whose Changes the check refuses (a string delta, say): the same event gets the same answer
// every time, so it is dead-lettered at its first attempt, naming the error, as CounterRangeError is; a rule that
// throws is still retried up to maxAttempts (it may depend on something that comes back).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { LocalDispatcher } from '../../../adapters/local/local-dispatcher.ts';
import { SqliteDeadLetterStore } from '../../../adapters/local/sqlite-dead-letter-store.ts';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import type { Changes, Projection } from '../../../domain/projection.ts';
import { projectorRoute } from '../../../projections/projector.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const payment = SAMPLES['incoming_payment']!;

/** A projection whose decide answers `decide()` for every event. */
const projectionDeciding = (decide: () => Changes): Projection => ({ name: 'odd', version: 1, handles: () => true, related: () => [], decide });

/** Publishes the payment to the projection with maxAttempts 5; the dead letters and the attempts' sleeps. */
async function publishTo(projection: Projection) {
  const dir = tempDir();
  const store = new SqliteProjectionStore(join(dir, 'projections.db'));
  const dlq = new SqliteDeadLetterStore(join(dir, 'dispatch.db'));
  const sleeps: number[] = [];
  try {
    const d = new LocalDispatcher({
      rules: [projectorRoute(store, projection)], deadLetters: dlq, maxAttempts: 5,
      backoff: { baseMs: 1, maxMs: 4 }, sleep: async (ms) => void sleeps.push(ms), now: () => 1000,
    });
    await d.publish([payment]);
    return { letters: await dlq.list(), sleeps };
  } finally {
    store.close();
    dlq.close();
  }
}

const test = suite('LocalDispatcher: Changes the check refuses');

test('an event whose Changes the check refuses is dead-lettered at its first attempt, naming the field', async () => {
  const { letters, sleeps } = await publishTo(projectionDeciding(() => ({ counters: [{ key: 'A', delta: '5' as unknown as bigint }] })));
  assert.is(letters.length, 1);
  assert.is(letters[0]!.attempts, 1);
  assert.equal(sleeps, [], 'no backoff before the dead letter');
  assert.match(letters[0]!.error, /^PROJECTION_RULE_FAILED: projection odd: .*TypeError: decide returned counters\[0\]\.delta/);
});

test('a rule that throws is still retried up to maxAttempts before its dead letter', async () => {
  const { letters } = await publishTo(projectionDeciding(() => { throw new Error('lookup unavailable'); }));
  assert.equal(letters.map((l) => l.attempts), [5]);
  assert.match(letters[0]!.error, 'Error: lookup unavailable');
});

test.run();
