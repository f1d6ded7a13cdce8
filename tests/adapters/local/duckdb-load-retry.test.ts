// A failed DuckDB load (the package, its instance or its connection) fails only the query that met it: the next query
// loads DuckDB again and answers, instead of failing the same way for the life of the process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { loadDuckDbEngine, type DuckDbEngineLoader } from '../../../adapters/local/duckdb-engine.ts';
import { QueryFailedError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { rejects } from '../../support/async.ts';
import { writeLog } from '../../support/log-fixture.ts';
import { tempDir } from '../../support/tmp.ts';

const START = Date.UTC(2024, 2, 7) / 1000;
const events = generateEvents({ accounts: 3, days: 1, eventsPerDay: 24, start: START, seed: 3 });
const dataDir = tempDir();
writeLog(dataDir, events, () => 'segment');

/** A query whose first `failures` DuckDB loads fail (as opening a connection with no file handles left does). */
function queryFailingToLoad(failures: number): { query: DuckDbEventQuery; loads: () => number } {
  let loads = 0;
  const load: DuckDbEngineLoader = () => (++loads <= failures ? Promise.reject(new Error('IO Error: Too many open files')) : loadDuckDbEngine());
  return { query: new DuckDbEventQuery({ dataDir }, load), loads: () => loads };
}

const test = suite('DuckDbEventQuery: a failed DuckDB load');

test('a SQL query after a failed load loads DuckDB again and answers', async () => {
  const { query } = queryFailingToLoad(1);
  try {
    const failed = await rejects(() => query.sql('SELECT count(*) AS n FROM events'), QueryFailedError);
    assert.match(failed.message, /Too many open files/);
    const r = await query.sql('SELECT count(*) AS n FROM events');
    assert.equal(r.rows, [{ n: events.length }]);
  } finally {
    await query.close();
  }
});

test('eventsBetween after a failed load loads DuckDB again and answers from the files', async () => {
  const { query } = queryFailingToLoad(1);
  try {
    await rejects(() => query.eventsBetween({ from: START, to: START + 86_400 }), QueryFailedError);
    const r = await query.eventsBetween({ from: START, to: START + 86_400 });
    assert.is(r.rows.length, events.length);
  } finally {
    await query.close();
  }
});

test('each query while loading fails meets its own failure, and DuckDB is loaded once it succeeds', async () => {
  const { query, loads } = queryFailingToLoad(2);
  try {
    await rejects(() => query.sql('SELECT 1 AS n'), QueryFailedError);
    await rejects(() => query.sql('SELECT 1 AS n'), QueryFailedError);
    await query.sql('SELECT 1 AS n');
    await query.sql('SELECT 1 AS n');
    assert.is(loads(), 3);
  } finally {
    await query.close();
  }
});

test('close after a failed load resolves', async () => {
  const { query } = queryFailingToLoad(1);
  await rejects(() => query.sql('SELECT 1 AS n'), QueryFailedError);
  await query.close();
});

test('close while a query is queued closes the DuckDB that query loads', async () => {
  let closed = 0;
  const load: DuckDbEngineLoader = async () => {
    const engine = await loadDuckDbEngine();
    const closeSync = engine.instance.closeSync.bind(engine.instance);
    engine.instance.closeSync = () => { closed++; closeSync(); };
    return engine;
  };
  const query = new DuckDbEventQuery({ dataDir }, load);
  const answer = query.sql('SELECT 1 AS n');
  await query.close();
  await answer;
  assert.is(closed, 1);
});

test.run();
