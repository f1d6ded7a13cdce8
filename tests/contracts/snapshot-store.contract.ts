// Contract suite of the SnapshotStore port: every adapter (SqliteSnapshotStore, DynamoDbPitrSnapshotStore) must pass it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import type { Projection } from '../../domain/projection.ts';
import { SAMPLES } from '../support/samples.ts';

/** What the contract needs around an adapter: the projection store it snapshots, and a clock it can move. */
export interface SnapshotStoreFixture {
  readonly subject: SnapshotStore;
  readonly store: ProjectionStore;
  /** Move the clock `takenAt` is read from. */
  advance(ms: number): Promise<void>;
  cleanup?(): Promise<void>;
}

/** A projection with counters, rows and memos, so a round trip covers every part of a state. */
export const ledgerProjection: Projection = {
  name: 'contract_ledger',
  version: 1,
  handles: (e) => e.EventType !== 'verify_cash_deposit',
  related: () => [],
  decide: (e) => ({
    counters: [{ key: e.EventType, delta: 1n }],
    rows: [{ key: eventId(e), partition: e.EventType, value: { ts: e.EventTimeStamp, amount: String(e['Amount']) } }],
    memo: { seen: e.EventTimeStamp },
  }),
};

const all = Object.values(SAMPLES) as DomainEvent[];
const [first, ...rest] = all;

async function filled(store: ProjectionStore, projection: Projection, events: readonly DomainEvent[]): Promise<number> {
  const gen = await store.liveGeneration(projection.name);
  await store.apply(projection, gen, events);
  return gen;
}

/** Runs the SnapshotStore contract against the subjects `makeSubject` builds (a fresh one per test). */
export function snapshotStoreContract(name: string, makeSubject: () => Promise<SnapshotStoreFixture>): void {
  const test = suite<{ f: SnapshotStoreFixture }>(`SnapshotStore contract: ${name}`);
  test.before.each(async (ctx) => { ctx.f = await makeSubject(); });
  test.after.each(async (ctx) => { await ctx.f.cleanup?.(); });

  test('a projection never snapshotted lists no snapshots and has none at any time', async ({ f }) => {
    assert.equal(await f.subject.list('balances'), []);
    assert.is(await f.subject.latestAtOrBefore('balances', Number.MAX_SAFE_INTEGER), undefined);
  });

  test('a snapshot records its projection, generation and high-water mark', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, all);
    const snap = await f.subject.take('balances', gen, 42);
    assert.equal([snap.projection, snap.generation, snap.highWaterMark], ['balances', gen, 42]);
    assert.equal(await f.subject.list('balances'), [snap]);
  });

  test('snapshots are listed oldest first, each projection on its own', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, all);
    const a = await f.subject.take('balances', gen, 1);
    await f.advance(1000);
    const b = await f.subject.take('balances', gen, 2);
    await f.subject.take(ledgerProjection.name, await filled(f.store, ledgerProjection, all), 2);
    assert.equal((await f.subject.list('balances')).map((s) => s.id), [a.id, b.id]);
  });

  test('latestAtOrBefore picks the newest snapshot taken at or before the time', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, all);
    const a = await f.subject.take('balances', gen, 1);
    await f.advance(60_000);
    const b = await f.subject.take('balances', gen, 2);
    assert.is((await f.subject.latestAtOrBefore('balances', b.takenAt))?.id, b.id);
    assert.is((await f.subject.latestAtOrBefore('balances', b.takenAt - 1))?.id, a.id);
    assert.is(await f.subject.latestAtOrBefore('balances', a.takenAt - 1), undefined);
  });

  test('a restored snapshot equals the source generation: counters, rows and idempotency records', async ({ f }) => {
    const gen = await filled(f.store, ledgerProjection, all);
    const snap = await f.subject.take(ledgerProjection.name, gen, 5);
    const next = await f.store.createGeneration(ledgerProjection.name);
    await f.subject.restore(snap, next);
    assert.equal(await f.store.readState(ledgerProjection.name, next), await f.store.readState(ledgerProjection.name, gen));
  });

  test('a snapshot keeps the state of when it was taken, not later changes', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, [first!]);
    const before = await f.store.readState('balances', gen);
    const snap = await f.subject.take('balances', gen, 1);
    await f.store.apply(balancesProjection, gen, rest);
    const next = await f.store.createGeneration('balances');
    await f.subject.restore(snap, next);
    assert.equal(await f.store.readState('balances', next), before);
  });

  test('events inside a restored snapshot are duplicates when replayed over it', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, all);
    const snap = await f.subject.take('balances', gen, 5);
    const next = await f.store.createGeneration('balances');
    await f.subject.restore(snap, next);
    const outcomes = await f.store.apply(balancesProjection, next, all);
    assert.equal([...new Set(outcomes.map((o) => o.status))], ['duplicate']);
  });

  test('a removed snapshot is neither listed nor picked by latestAtOrBefore; the others stay', async ({ f }) => {
    const gen = await filled(f.store, balancesProjection, all);
    const a = await f.subject.take('balances', gen, 1);
    await f.advance(60_000);
    const b = await f.subject.take('balances', gen, 2);
    await f.subject.remove(b);
    assert.equal((await f.subject.list('balances')).map((s) => s.id), [a.id]);
    assert.is((await f.subject.latestAtOrBefore('balances', b.takenAt))?.id, a.id);
  });

  test('removing a snapshot already removed is no error, so an interrupted prune finishes when run again', async ({ f }) => {
    const snap = await f.subject.take('balances', await filled(f.store, balancesProjection, all), 1);
    await f.subject.remove(snap);
    await f.subject.remove(snap);
    assert.equal(await f.subject.list('balances'), []);
  });

  test.run();
}
