// Contract of the ProjectionStore port for a store built with the lake's projections: every method that takes a
// projection name refuses another one (InvalidArgumentError on `projection`, naming it and the known ones) on every
// adapter alike, instead of answering an empty state ([] rows, generation 1) or writing a generation of it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../domain/balances.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { Projection } from '../../domain/projection.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES } from '../support/samples.ts';

/** A store of the adapter under test built with `projections` (or none: any name), and how to release it. */
export type MakeStore = (projections: readonly string[] | undefined) => Promise<{ subject: ProjectionStore; cleanup?: () => Promise<void> }>;

const KNOWN = ['balances', 'statement'];
const REFUSAL = 'unknown projection "nope": use one of balances, statement';
const nope: Projection = { ...balancesProjection, name: 'nope' };
const payment = SAMPLES['incoming_payment']!;

/** Every method of the port that takes a projection name, called with `nope`. */
const CALLS: Record<string, (store: ProjectionStore) => Promise<unknown> | undefined> = {
  apply: (s) => s.apply(nope, 1, [payment]),
  'apply (no events)': (s) => s.apply(nope, 1, []),
  counter: (s) => s.counter('nope', 1, 'A'),
  counters: (s) => s.counters('nope', 1),
  rows: (s) => s.rows('nope', 1, 'A'),
  readState: (s) => s.readState('nope', 1),
  forEachApplied: (s) => s.forEachApplied?.('nope', 1, () => {}),
  readStateStreamed: (s) => s.readStateStreamed?.('nope', 1, () => {}),
  appliedRecord: (s) => s.appliedRecord('nope', 1, 'x'),
  liveGeneration: (s) => s.liveGeneration('nope'),
  listGenerations: (s) => s.listGenerations?.('nope'),
  createGeneration: (s) => s.createGeneration('nope'),
  'promote (generation 1)': (s) => s.promote('nope', 1),
  dropGeneration: (s) => s.dropGeneration('nope', 2),
  noteForeignFold: (s) => s.noteForeignFold?.('nope', 1, { rules: 'r', firstAt: 1, events: 1 }),
  foreignFold: (s) => s.foreignFold?.('nope', 1),
  getCheckpoint: (s) => s.getCheckpoint('nope', 1),
  setCheckpoint: (s) => s.setCheckpoint('nope', 1, { at: 1 }),
};

/**
 * Runs the unknown-projection cases against stores from `makeStore`.
 *
 * @example
 * projectionStoreUnknownContract('SqliteProjectionStore', async (projections) => ({ subject: new SqliteProjectionStore(file, projections ? { projections } : {}) }));
 */
export function projectionStoreUnknownContract(name: string, makeStore: MakeStore): void {
  const test = suite(`ProjectionStore contract: ${name} refuses a projection it was not built with`);
  const withStore = async (projections: readonly string[] | undefined, fn: (store: ProjectionStore) => Promise<void>) => {
    const { subject, cleanup } = await makeStore(projections);
    try {
      await fn(subject);
    } finally {
      await cleanup?.();
    }
  };

  test('every method that takes a projection name refuses one the store was not built with, naming the known ones', () => withStore(KNOWN, async (store) => {
    for (const [method, call] of Object.entries(CALLS)) {
      const answer = call(store);
      if (answer === undefined) continue; // an optional method this adapter does not have
      const error = await rejects(() => answer, InvalidArgumentError);
      assert.is(error.argument, 'projection', method);
      assert.match(error.message, REFUSAL, method);
    }
  }));

  test('a projection the store was built with is served as before', () => withStore(KNOWN, async (store) => {
    assert.equal((await store.apply(balancesProjection, 1, [payment])).map((o) => o.status), ['applied']);
    assert.is(await store.liveGeneration('balances'), 1);
    assert.equal(await store.rows('statement', 1, 'A'), []);
  }));

  test('a store built without projections takes any name (stores of one function, tests)', () => withStore(undefined, async (store) => {
    assert.equal(await store.rows('nope', 1, 'A'), []);
    assert.is(await store.liveGeneration('nope'), 1);
  }));

  test.run();
}
