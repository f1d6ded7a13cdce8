// Two runs that read a free lease at the same moment and take it with expiries in the same millisecond: exactly one
// holds it. Why this is a rule worth pinning: a take reads the lease back after a refused compare-and-set and treats
// its own value as its own (lease-take.ts, for a write whose answer was lost), so only the holder tag tells the
// loser's value from the winner's; the loser must find the winner's tag there and refuse itself.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { Lease, leaseExpiry } from '../../projections/lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';

const test = suite('lease: two takes racing in the same millisecond');
const NOW = Date.parse('2026-01-01T00:00:00Z');
const NAME = 'rebuild:lease:balances';

class Held extends Error {
  constructor(readonly expiresAt: number) {
    super(`held until ${expiresAt}`);
  }
}

/** `store` whose first two reads answer only once both were made: both takers read the lease free. */
function bothReadFirst(store: CheckpointStore): CheckpointStore {
  let waiting: (() => void) | undefined;
  let reads = 0;
  const get: CheckpointStore['get'] = async (name) => {
    if (++reads <= 2) {
      if (waiting) waiting();
      else await new Promise<void>((resolve) => { waiting = resolve; });
    }
    return store.get(name);
  };
  return { ...store, get };
}

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
