// Differential: what AthenaEventQuery sends (the catalogue's text and its ExecutionParameters), run on DuckDB over the
// same objects as the Glue table shows them, answers every catalogue query and eventsBetween as DuckDbEventQuery does.
//
// Not checked here, because only Athena can: Trino's own semantics where they differ from DuckDB's (regexp_extract
// gives NULL, not '', when nothing matches: every S3 key matches, so object_key cannot differ; varchar order is by
// code point, which is DuckDB's byte order for UTF-8), how the OpenX JSON SerDe reads a line (a fractional or quoted
// EventTimeStamp, an unknown or duplicate key, a malformed line), partition projection's pruning, which restored
// Glacier objects Athena reads, and whether it accepts a parameter in every place the catalogue puts one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AthenaEventQuery } from '../../adapters/aws/athena-event-query.ts';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { unreadableObjects } from '../../adapters/local/duckdb-partitions.ts';
import { accountNumber } from '../../domain/generator.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { QueryResult } from '../../domain/ports/event-query.ts';
import { QUERY_CATALOGUE, bindQuery, type QueryParams } from '../../domain/query-catalogue.ts';
import { DiffLog, H, START, diffRuns } from './differential-log.ts';
import { emulateAthena } from './athena-emulation.ts';

const { runs, firstSeed } = diffRuns(3);
const answer = (r: QueryResult) => ({ columns: r.columns, rows: r.rows, unreadable: r.unreadable });

/** A log of `seed`, its local adapters (SQL and cached) and an AthenaEventQuery on the emulated Athena over it. */
async function subjects(seed: number, steps = 30) {
  const log = await DiffLog.open(seed);
  for (let s = 0; s < steps; s++) await log.step();
  const athena = await emulateAthena(log.dataDir);
  const remote = new AthenaEventQuery({
    client: athena.client, workGroup: 'eventlake', database: 'eventlake', sleep: async () => undefined,
    unreadable: async (range) => unreadableObjects(log.dataDir, range),
  });
  const sql = new DuckDbEventQuery({ dataDir: log.dataDir, cacheRows: 0 });
  const cached = new DuckDbEventQuery({ dataDir: log.dataDir });
  return {
    log, athena, remote, sql, cached,
    async close() {
      await sql.close();
      await cached.close();
      athena.close();
      await log.close();
    },
  };
}

/** Random parameters of a catalogue query, times as epoch seconds or ISO text. */
function paramsOf(log: DiffLog, name: string): QueryParams {
  const { from, to, types, accounts } = log.query();
  const time = (t: number) => (log.random() < 0.5 || t > 4_000_000_000 ? t : new Date(t * 1000).toISOString());
  const range = { from: time(from), to: time(to) };
  const account = accountNumber(Math.floor(log.random() * 6));
  if (name === 'events_to_replay') return { ...range, ...(types ? { type: types.join(',') } : {}), ...(accounts ? { account: accounts.join(',') } : {}) };
  if (name === 'account_history') return { account, ...range };
  if (name === 'reconciliation_totals') return { ...range, ...(log.random() < 0.3 ? { account } : {}) };
  return log.random() < 0.2 ? {} : range;
}

const test = suite('Athena SQL against the local SQL');

test('each catalogue query is sent as its catalogue text with the values DuckDB binds, as literals in the same order', async () => {
  const s = await subjects(firstSeed, 10);
  try {
    for (const name of Object.keys(QUERY_CATALOGUE)) {
      const params = paramsOf(s.log, name);
      await s.remote.named(name, params);
      const input = s.athena.sent.at(-1)!;
      const bound = bindQuery(QUERY_CATALOGUE, name, params);
      assert.is(input.QueryString, bound.sql, name);
      const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
      assert.equal(input.ExecutionParameters, bound.values.map(literal), name);
    }
  } finally {
    await s.close();
  }
});

test('on random logs, every catalogue query Athena would run over the bucket answers as the local SQL does', async () => {
  let queries = 0;
  let rows = 0;
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    const s = await subjects(seed);
    try {
      for (let k = 0; k < 12; k++) {
        for (const name of Object.keys(QUERY_CATALOGUE)) {
          const params = paramsOf(s.log, name);
          const local = answer(await s.sql.named(name, params));
          assert.equal(answer(await s.remote.named(name, params)), local, `seed ${seed}: ${name} ${JSON.stringify(params)}\nsteps:\n${s.log.steps.join('\n')}`);
          queries++;
          rows += local.rows.length;
        }
      }
    } finally {
      await s.close();
    }
  }
  assert.ok(rows > queries, `the queries found rows (${rows} over ${queries} queries)`);
  console.log(`\n[summary] Athena SQL differential: ${runs} logs from seed ${firstSeed}, ${queries} catalogue queries run as Athena's text, ${rows} rows, all equal to the local SQL`);
});

test('on random logs, eventsBetween on Athena answers as the local cache does', async () => {
  const s = await subjects(firstSeed + 1);
  try {
    for (let k = 0; k < 30; k++) {
      const q = s.log.query();
      assert.equal(answer(await s.remote.eventsBetween(q)), answer(await s.cached.eventsBetween(q)), JSON.stringify(q));
    }
  } finally {
    await s.close();
  }
});

test('eventsBetween on Athena ignores empty names in a type or account list, and a list of only empty names matches nothing, as on DuckDB', async () => {
  const s = await subjects(firstSeed, 10);
  try {
    const whole = { from: START, to: START + 6 * H };
    const cases: TimeRangeQuery[] = [
      { ...whole, types: [''] }, { ...whole, accounts: [''] }, { ...whole, types: ['', ''], accounts: [accountNumber(1)] },
      { ...whole, types: ['', 'cash_deposit'] }, { ...whole, accounts: [accountNumber(2), ''] },
    ];
    for (const q of cases) assert.equal(answer(await s.remote.eventsBetween(q)), answer(await s.cached.eventsBetween(q)), JSON.stringify(q));
  } finally {
    await s.close();
  }
});

test.run();
