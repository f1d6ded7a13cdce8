// Verifying a generation against a fold of the log read again (not the replay's own fold): where the store streams
// rows (readStateStreamed) and the generation needs no advancing, its rows are compared as they stream past the fold's
// instead of being loaded beside them. Same verdict and differences as loading them.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectionStore } from '../../../domain/ports/projection-store.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';

const test = suite('verification against the log, rows streamed');

/** `store` with readStateStreamed (rows visited from its state), counting the calls of both reads. */
function streaming(store: ProjectionStore) {
  const calls = { readState: 0, streamed: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'readStateStreamed') {
        return async (name: string, generation: number, visit: (key: string, row: { partition: string; value: never }) => void) => {
          calls.streamed++;
          const state = await target.readState(name, generation);
          for (const [key, row] of state.rows) visit(key, row as never);
          return state.counters;
        };
      }
      if (prop === 'readState') return (...args: Parameters<ProjectionStore['readState']>) => { calls.readState++; return target.readState(...args); };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, calls };
}

/** The lake's ports with `store` in place of its own. */
function withStore(lake: MemoryLake, store: ProjectionStore): MemoryLake {
  return Object.assign(Object.create(Object.getPrototypeOf(lake) as object) as MemoryLake, lake, { store });
}

/** A statement generation rebuilt from 0, its replay's fold spent by a first verification (the next reads the log). */
async function rebuilt() {
  const { lake } = await buildScenario();
  const plain = new RebuildCoordinator(lake, lake.projections);
  const built = await plain.rebuild(await plain.plan({ projection: 'statement', from: 0 }));
  assert.ok((await plain.verify('statement', built.generation, 'log')).passed);
  const { store, calls } = streaming(lake.store);
  return { lake, plain, generation: built.generation, streamed: new RebuildCoordinator(withStore(lake, store), lake.projections), calls };
}

test('a verification reading the log again streams the generation\'s rows and never loads its state', async () => {
  const { generation, streamed, calls } = await rebuilt();
  const check = await streamed.verify('statement', generation, 'log');
  assert.ok(check.passed, JSON.stringify(check.differences));
  assert.match(check.reference, 'a direct fold of the log');
  assert.ok(check.rows > 0);
  assert.equal([calls.streamed > 0, calls.readState], [true, 0]);
});

test('a changed row and a removed row give the differences loading the state gives', async () => {
  const { lake, plain, generation, streamed } = await rebuilt();
  const state = await lake.store.readState('statement', generation);
  const [first, second] = [...state.rows.keys()].sort();
  const row = state.rows.get(first!)!;
  state.rows.set(first!, { ...row, value: { ...row.value, amount: '999.99' } });
  state.rows.delete(second!);
  lake.store.setState('statement', generation, state);
  const loaded = await plain.verify('statement', generation, 'log');
  const checked = await streamed.verify('statement', generation, 'log');
  assert.not.ok(checked.passed);
  assert.is(checked.differences.length, 2);
  assert.equal(checked.differences, loaded.differences);
});

test('the live generation of a store that streams is verified the same way, and passes', async () => {
  const { lake } = await buildScenario();
  await lake.dispatch();
  const { store, calls } = streaming(lake.store);
  const coordinator = new RebuildCoordinator(withStore(lake, store), lake.projections);
  const check = await coordinator.verify('statement', await lake.store.liveGeneration('statement'), 'log');
  assert.ok(check.passed, JSON.stringify(check.differences));
  assert.equal([calls.streamed > 0, calls.readState], [true, 0]);
});

test.run();
