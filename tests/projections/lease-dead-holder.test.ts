// A lease whose holder its store knows to be dead (domain/ports/lease-liveness.ts) is taken over at once instead of
// after its expiry; a live holder's lease is still refused. The races: a holder marks itself alive before it writes
// the lease (so no taker finds it unmarked while it lives), keeps its mark until its lease is freed, and of two takers
// racing for a dead holder's lease one holds it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../domain/errors.ts';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { DeadHolder, HolderMark, LeaseLiveness } from '../../domain/ports/lease-liveness.ts';
import { Lease, leaseExpiry, leaseValue } from '../../projections/lease.ts';
import { scriptedCheckpoints } from '../support/fakes/scripted-checkpoints.ts';
import { Held, NAME, NOW } from './lease-takers.ts';

const test = suite('lease: a holder known dead');

/** Liveness as the kernel keeps it: marks of live holders, holders marked once and dead since, and what happened when. */
class FakeLiveness implements LeaseLiveness {
  readonly alive = new Set<number>();
  readonly marked = new Set<number>();
  /** Dead holders a taker is looking at (their marks locked meanwhile). */
  readonly probed = new Set<number>();
  readonly log: string[] = [];

  async mark(_name: string, tag: number): Promise<HolderMark | undefined> {
    if (this.alive.has(tag) || this.probed.has(tag)) return undefined;
    this.alive.add(tag);
    this.marked.add(tag);
    this.log.push(`mark ${tag}`);
    return {
      release: async (stillNamed = false) => {
        this.alive.delete(tag);
        // A mark released normally is deleted: only one left by a holder whose lease still names it is found dead.
        if (!stillNamed) this.marked.delete(tag);
        this.log.push(`unmark ${tag}`);
      },
    };
  }

  async dead(_name: string, tag: number): Promise<DeadHolder | undefined> {
    if (!this.marked.has(tag) || this.alive.has(tag) || this.probed.has(tag)) return undefined;
    this.probed.add(tag);
    return { release: async () => { this.probed.delete(tag); } };
  }

  /** The holder `tag`'s process dies: the kernel frees its mark. */
  kill(tag: number): void {
    this.alive.delete(tag);
  }
}

/** A store with `liveness`, logging its compare-and-sets into the liveness's log. */
function storeWith(liveness: FakeLiveness): CheckpointStore {
  const { store } = scriptedCheckpoints();
  return {
    ...store,
    compareAndSet: async (name, expected, next) => {
      liveness.log.push(`write ${next % 1000}`);
      return store.compareAndSet(name, expected, next);
    },
    exactAnswers: true,
    leaseLiveness: liveness,
  };
}

const take = (store: CheckpointStore, random = 0.5): Promise<Lease> =>
  Lease.acquire(store, NAME, (expiresAt) => new Held(expiresAt), { now: () => NOW, random: () => random });

test('a lease whose holder died is taken at once, long before it expires', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  const first = await take(store, 0.1);
  const theirs = await store.get(NAME);
  liveness.kill(theirs % 1000);
  const second = await take(store, 0.7);
  assert.is.not(await store.get(NAME), theirs);
  await second.release();
  assert.is(await store.get(NAME), 0);
  await first.release();
});

test('a lease whose holder is alive is refused, naming its expiry', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  const first = await take(store, 0.1);
  const error = await take(store, 0.7).catch((e: unknown) => e);
  assert.instance(error, Held);
  assert.is((error as Held).expiresAt, leaseExpiry(await store.get(NAME)));
  await first.release();
});

test('a lease written by a holder that never marked itself (another host, an older version) waits for its expiry', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  await store.set(NAME, leaseValue(NOW + 60_000, 7));
  const error = await take(store).catch((e: unknown) => e);
  assert.instance(error, Held);
});

test('a taker marks itself alive before it writes the lease, and unmarks only after its release wrote', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  const lease = await take(store, 0.5);
  const tag = (await store.get(NAME)) % 1000;
  await lease.release();
  assert.equal(liveness.log, [`mark ${tag}`, `write ${tag}`, 'write 0', `unmark ${tag}`]);
});

test('a lease its holder failed to free (the write failed) is taken over at once, not after its expiry', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  const first = await take(store, 0.1);
  const failing: CheckpointStore = { ...store, compareAndSet: async () => { throw new TransientError('checkpoint compare-and-set failed: SQLITE_IOERR'); } };
  await first.release(failing);
  const theirs = await store.get(NAME);
  assert.is.not(theirs, 0, 'the failed release left the lease named');
  const second = await take(store, 0.7);
  assert.is.not(await store.get(NAME), theirs);
  await second.release();
});

test('of two takers racing for a dead holder\'s lease, one holds it and the other is refused', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  await take(store, 0.1);
  liveness.kill((await store.get(NAME)) % 1000);
  const outcomes = await Promise.all([take(store, 0.3), take(store, 0.7)].map((p) => p.catch((e: unknown) => e)));
  assert.is(outcomes.filter((o) => o instanceof Lease).length, 1);
  assert.is(outcomes.filter((o) => o instanceof Held).length, 1);
});

test('a taker that lost its take frees the mark it made for it', async () => {
  const liveness = new FakeLiveness();
  const store = storeWith(liveness);
  await take(store, 0.1);
  const dead = (await store.get(NAME)) % 1000;
  liveness.kill(dead);
  // Another taker took the lease over between this taker's read and its write.
  const racing: CheckpointStore = { ...store, compareAndSet: async (name, expected, next) => {
    await store.set(name, leaseValue(NOW + 60_000, 3));
    return store.compareAndSet(name, expected, next);
  } };
  await take(racing, 0.7).catch(() => undefined);
  assert.equal([...liveness.alive], []);
});

test.run();
