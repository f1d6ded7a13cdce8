// EVENTLAKE_DUCKDB_THREADS: how many threads DuckDB runs the local queries on. Unset, DuckDB's default (one per core);
// a bad value is refused at the first query, naming the variable; and the rows never depend on it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DUCKDB_THREADS_ENV, duckDbThreads, loadDuckDbEngine } from '../../../adapters/local/duckdb-engine.ts';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { rejects } from '../../support/async.ts';
import { writeLog } from '../../support/log-fixture.ts';
import { tempDir } from '../../support/tmp.ts';

const START = Date.UTC(2024, 2, 7) / 1000;
const H = 3600;

/** Run `fn` with the variable set to `value` (unset for undefined), then put back what the process had. */
async function withThreads<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env[DUCKDB_THREADS_ENV];
  if (value === undefined) delete process.env[DUCKDB_THREADS_ENV];
  else process.env[DUCKDB_THREADS_ENV] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[DUCKDB_THREADS_ENV];
    else process.env[DUCKDB_THREADS_ENV] = before;
  }
}

async function threadsSetting(): Promise<number> {
  const engine = await loadDuckDbEngine();
  try {
    const reader = await engine.connection.runAndReadAll("SELECT current_setting('threads') AS t");
    return Number(reader.getRowObjects()[0]!['t']);
  } finally {
    engine.connection.closeSync();
    engine.instance.closeSync();
  }
}

const test = suite('EVENTLAKE_DUCKDB_THREADS');

test('it sets the threads DuckDB runs queries on', async () => {
  assert.is(await withThreads('3', threadsSetting), 3);
  assert.is(await withThreads('1', threadsSetting), 1);
});

test('unset or empty, DuckDB keeps its own default', () => {
  assert.is(duckDbThreads({}), undefined);
  assert.is(duckDbThreads({ [DUCKDB_THREADS_ENV]: '' }), undefined);
  assert.is(duckDbThreads({ [DUCKDB_THREADS_ENV]: '1024' }), 1024);
});

test('a value that is not a whole number from 1 to 1024 is refused, naming the variable and the fix', () => {
  for (const bad of ['0', '-1', '1.5', 'two', ' 2', '2 ', '01', '1e2', '1025', '99999']) {
    try {
      duckDbThreads({ [DUCKDB_THREADS_ENV]: bad });
      assert.unreachable(`${JSON.stringify(bad)} was accepted`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError, bad);
      const refused = error as InvalidArgumentError;
      assert.is(refused.argument, DUCKDB_THREADS_ENV);
      assert.ok(refused.message.includes(JSON.stringify(bad)) && refused.message.includes('set it to e.g. 1'), refused.message);
    }
  }
});

test('a query under a bad value rejects with that error, and the next one loads DuckDB again once it is fixed', async () => {
  const dataDir = tempDir();
  const events = generateEvents({ accounts: 3, days: 1, eventsPerDay: 24, start: START, seed: 3 });
  writeLog(dataDir, events, () => 'files');
  const query = new DuckDbEventQuery({ dataDir, cacheRows: 0 });
  try {
    const error = await withThreads('zero', () => rejects(() => query.eventsBetween({ from: START, to: START + 24 * H }), InvalidArgumentError));
    assert.is(error.argument, DUCKDB_THREADS_ENV);
    const answer = await withThreads('2', () => query.eventsBetween({ from: START, to: START + 24 * H }));
    assert.is(answer.rows.length, events.length);
  } finally {
    await query.close();
  }
});

test('one thread and four give the same rows in the same order, from one-event objects, segments and both copies', async () => {
  const dataDir = tempDir();
  const events = generateEvents({ accounts: 12, days: 2, eventsPerDay: 480, start: START, seed: 11 });
  writeLog(dataDir, events, (hour) => (((hour - START) / H) % 3 === 0 ? 'segment' : 'files'));
  // Hours 1, 7, 13 … also as a segment: each event there has two copies, and the answers keep the same one.
  writeLog(dataDir, events.filter((e) => Math.floor((e.EventTimeStamp - START) / H) % 6 === 1), () => 'segment');
  const answers = async (threads: string) => withThreads(threads, async () => {
    // cacheRows 0: every answer comes from DuckDB's own scan, which is what threads change.
    const query = new DuckDbEventQuery({ dataDir, cacheRows: 0 });
    try {
      const replay = await query.eventsBetween({ from: START + 5 * H, to: START + 40 * H });
      const totals = await query.sql('SELECT EventType, count(*) AS n FROM events GROUP BY EventType ORDER BY EventType');
      return { replay: replay.rows, totals: totals.rows };
    } finally {
      await query.close();
    }
  });
  const one = await answers('1');
  assert.ok(one.replay.length > 500, `${one.replay.length} rows`);
  const copied = one.replay.filter((r) => Math.floor((Number(r['event_time']) - START) / H) % 6 === 1);
  assert.ok(copied.length > 50 && copied.every((r) => String(r['object_key']).endsWith('.ndjson')), 'a copied hour answers from its segment');
  assert.equal(await answers('4'), one);
});

test.run();
