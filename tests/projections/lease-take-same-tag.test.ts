// Two runs that read a free lease at the same moment, take it with expiries in the same millisecond and drew the same
// holder tag write the same integer: in a store whose refusals are the truth (`exactAnswers`, SQLite), the refused one
// does not read the lease back, so it does not take the winner's value for its own, and exactly one holds the lease.
// (A store that may lose answers, DynamoDB's, still reads back: that 1-in-998 same-millisecond risk stays there.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { Lease } from '../../projections/lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';
import { bothReadFirst, NAME, NOW } from './lease-takers.ts';

const test = suite('lease: two takes racing with the same tag');

/** Both takers see the same wall clock and draw the same tag. */
function take(store: CheckpointStore): Promise<Lease | Error> {
  return Lease.acquire(store, NAME, (expiresAt) => new Error(`held until ${expiresAt}`), { now: () => NOW, random: () => 0.5 })
    .catch((error: unknown) => error as Error);
}

test('of two runs taking a free lease at once with the same tag in an exact store, one holds it and the other is refused', async () => {
  const { store } = scriptedCheckpoints();
  const racing = bothReadFirst({ ...store, exactAnswers: true });
  const outcomes = await Promise.all([take(racing), take(racing)]);
  assert.is(outcomes.filter((o) => o instanceof Lease).length, 1);
  assert.match(String(outcomes.find((o) => !(o instanceof Lease))), 'held until');
});

test.run();
