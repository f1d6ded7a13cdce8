// Two runs that read a free lease at the same moment and take it with expiries in the same millisecond: exactly one
// holds it. Why this is a rule worth pinning: in a store that may lose answers (this one, as DynamoDB's), a take reads
// the lease back after a refused compare-and-set and treats its own value as its own (lease-take.ts, for a write
// whose answer was lost), so only the holder tag tells the loser's value from the winner's; the loser must find the
// winner's tag there and refuse itself. The accepted risk left: two takers there that drew the same of 998 tags both
// hold it. A store whose refusals are the truth (`exactAnswers`, SQLite) has no such risk: lease-take-same-tag.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { Lease, leaseExpiry } from '../../projections/lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';
import { bothReadFirst, Held, NAME, NOW } from './lease-takers.ts';

const test = suite('lease: two takes racing in the same millisecond');

/** Each taker draws its own tag; both see the same wall clock. */
function take(store: CheckpointStore, random: number): Promise<Lease | Held> {
  return Lease.acquire(store, NAME, (expiresAt) => new Held(expiresAt), { now: () => NOW, random: () => random })
    .catch((error: unknown) => { if (error instanceof Held) return error; throw error; });
}

test('of two runs taking a free lease at once, one holds it and the other is refused, naming its expiry', async () => {
  const { store } = scriptedCheckpoints();
  const racing = bothReadFirst(store);
  const outcomes = await Promise.all([take(racing, 0.1), take(racing, 0.7)]);
  const holders = outcomes.filter((o) => o instanceof Lease);
  const refused = outcomes.filter((o): o is Held => o instanceof Held);
  assert.is(holders.length, 1);
  assert.is(refused.length, 1);
  assert.is(refused[0]!.expiresAt, leaseExpiry(await store.get(NAME)));
});

test.run();
