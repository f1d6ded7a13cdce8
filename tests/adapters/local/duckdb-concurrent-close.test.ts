// DuckDbEventQuery.close() called again while a first close() is still closing resolves only once DuckDB is closed, as
// the first does: a caller (a runtime's close and a server's shutdown hook both closing it) otherwise went on to delete
// or reuse the data dir while the engine still had it open.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { loadDuckDbEngine, type DuckDbEngineLoader } from '../../../adapters/local/duckdb-engine.ts';
import { tempDir } from '../../support/tmp.ts';

/**
 * A query over an empty data dir, and how many times its DuckDB instance was closed. `lateReactions`: the loader's
 * promise runs its reactions a macrotask late, as a promise library's may (the old close's ordering held by one job).
 */
function countingCloses(lateReactions = false): { query: DuckDbEventQuery; closes: () => number } {
  let closes = 0;
  const load: DuckDbEngineLoader = async () => {
    const engine = await loadDuckDbEngine();
    const closeSync = engine.instance.closeSync.bind(engine.instance);
    engine.instance.closeSync = () => {
      closes += 1;
      closeSync();
    };
    return engine;
  };
  const loader: DuckDbEngineLoader = lateReactions ? () => LatePromise.resolve(load()) : load;
  return { query: new DuckDbEventQuery({ dataDir: tempDir('eventlake-duckdb-close-') }, loader), closes: () => closes };
}

/** A promise whose reactions run a macrotask after it settles. */
class LatePromise<T> extends Promise<T> {
  override then<A = T, B = never>(ok?: ((value: T) => A | PromiseLike<A>) | null, fail?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return super.then(
      (value) => new Promise<A>((resolve) => setTimeout(() => resolve(ok ? ok(value) : (value as unknown as A)), 0)),
      (reason: unknown) => new Promise<B>((resolve, reject) => setTimeout(() => (fail ? resolve(fail(reason)) : reject(reason)), 0)),
    );
  }
}

const test = suite('DuckDbEventQuery: close() called while another close() runs');

test('a second close() called while the first is closing resolves after DuckDB is closed', async () => {
  const { query, closes } = countingCloses(true);
  await query.sql('SELECT 1 AS n');
  const first = query.close();
  await query.close();
  assert.is(closes(), 1, 'DuckDB was closed when the second close() resolved');
  await first;
});

test('two close() calls made together both resolve after DuckDB is closed', async () => {
  const { query, closes } = countingCloses();
  await query.sql('SELECT 1 AS n');
  const first = query.close();
  await query.close();
  assert.is(closes(), 1);
  await first;
});

test('DuckDB is closed once however many times close() is called', async () => {
  const { query, closes } = countingCloses();
  await query.sql('SELECT 1 AS n');
  await Promise.all([query.close(), query.close(), query.close()]);
  await query.close();
  assert.is(closes(), 1);
});

test.run();
