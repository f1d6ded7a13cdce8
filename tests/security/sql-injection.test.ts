// SQL injection through query parameters is inert: hostile strings reach DuckDB (the EventQuery) and SQLite (the
// index) only as bound values or are refused as typed errors. They match nothing, change nothing, read nothing else.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { loadDuckDbEngine } from '../../adapters/local/duckdb-engine.ts';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { EventlakeError } from '../../domain/errors.ts';
import { bindQuery, QUERY_CATALOGUE } from '../../domain/query-catalogue.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { fuzzRuns, inCI, Tally } from '../support/summary.ts';
import { tempDir } from '../support/tmp.ts';
import { workloadEvents } from '../reliability/children/workload.ts';
import { HOSTILE_STRINGS, hostileString, listing } from './hostile.ts';

const test = suite('SQL injection through query parameters');
const tally = new Tally();
const RUNS = fuzzRuns();
// A DuckDB query costs milliseconds: DuckDB itself sees the hostile list and a tenth of the cases; the binding layer
// (whose SQL text must never change) and the index see them all.
const DUCKDB_RUNS = inCI() ? 30 : Math.max(1000, Math.floor(RUNS / 10));
// Ten events of three types over twelve accounts: rows an injected filter would leak. A DuckDB query's cost grows with
// the log's files, and the fuzz runs about two thousand of them, so the log is no bigger than that needs.
const events = workloadEvents(7, 5);

let dataDir = '';
let local: EventlakeRuntime;
let query: DuckDbEventQuery;
let before: { files: string[]; counts: string; rows: number };

test.before(async () => {
  dataDir = tempDir('eventlake-sql-');
  local = await openLocalEventlake({ dataDir });
  await local.lake.emit(events);
  // One DuckDB thread: this file runs about two thousand queries over ten tiny files, where handing each query's
  // work to a second thread cost a quarter of the file's time (CPU and wall), and what is bound does not depend on it.
  // Set by the loader: raw SQL may not SET anything, and the engine is locked once loaded.
  query = new DuckDbEventQuery({ dataDir }, async () => {
    const engine = await loadDuckDbEngine();
    await engine.connection.run('SET threads = 1');
    return engine;
  });
  before = { files: listing(dataDir), counts: JSON.stringify((await query.named('counts_per_type_per_day', {})).rows), rows: await local.index.count() };
});

test.after(async () => {
  await query.close();
  await local.close();
});

/** Run a hostile value through three parameterized queries: how many were refused (typed), how many rows matched. */
async function probe(hostile: string): Promise<{ bound: number; refused: number; rows: number }> {
  const out = { bound: 0, refused: 0, rows: 0 };
  for (const run of [
    () => query.named('account_history', { account: hostile, since: 0 }),
    () => query.named('reconciliation_totals', { since: 0, account: hostile }),
    () => query.eventsBetween({ from: 0, to: 4_102_444_800, accounts: [hostile], types: [hostile] }),
  ]) {
    try {
      out.rows += (await run()).rows.length;
      out.bound++;
    } catch (error) {
      assert.instance(error, EventlakeError, `not a typed error for ${JSON.stringify(hostile)}: ${String(error)}`);
      out.refused++;
    }
  }
  assert.is(out.rows, 0, `${JSON.stringify(hostile)} matched ${out.rows} rows`);
  return out;
}

test(`DuckDB: the hostile list and ${DUCKDB_RUNS} fuzzed strings as account/type parameters match nothing or are refused`, async () => {
  const totals = { bound: 0, refused: 0, rows: 0 };
  const add = (r: typeof totals) => {
    totals.bound += r.bound;
    totals.refused += r.refused;
    totals.rows += r.rows;
  };
  for (const hostile of HOSTILE_STRINGS) add(await probe(hostile));
  // '' is left out: the catalogue reads an empty list or account as "no filter" (see the last test).
  await fc.assert(fc.asyncProperty(hostileString().filter((h) => h !== ''), async (hostile) => add(await probe(hostile))), { numRuns: DUCKDB_RUNS });
  tally.add('fuzz SQL (DuckDB)', { cases: HOSTILE_STRINGS.length + DUCKDB_RUNS, 'queries run with the value bound': totals.bound, 'refused (typed)': totals.refused, 'rows matched': totals.rows });
  assert.ok(totals.bound > HOSTILE_STRINGS.length, 'hostile strings reached DuckDB as bound values');
  assert.is(totals.rows, 0);
});

test(`catalogue binding: ${RUNS} hostile parameter sets never change a query's SQL text, only its bound values`, () => {
  let bound = 0;
  let refused = 0;
  let altered = 0;
  const names = Object.keys(QUERY_CATALOGUE);
  const params = () => fc.dictionary(fc.constantFrom('account', 'type', 'since', 'until', 'from', 'to'), fc.oneof(hostileString(), fc.integer()), { maxKeys: 4 });
  fc.assert(fc.property(fc.constantFrom(...names), params(), (name, hostile) => {
    try {
      const b = bindQuery(QUERY_CATALOGUE, name, hostile);
      if (b.sql !== QUERY_CATALOGUE[name]!.sql) altered++;
      assert.is(b.sql, QUERY_CATALOGUE[name]!.sql);
      bound++;
    } catch (error) {
      assert.instance(error, EventlakeError, String(error));
      refused++;
    }
  }), { numRuns: RUNS });
  tally.add('fuzz SQL (catalogue binding)', { cases: RUNS, bound, 'refused (typed)': refused, 'SQL texts altered': altered });
  assert.is(altered, 0);
});

test('DuckDB: hostile query names and parameter names are refused with typed errors', async () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'events; DROP TABLE events', "account_history' --", '']) {
    try {
      await query.named(name, {});
      assert.unreachable(`ran a query named ${name}`);
    } catch (error) {
      assert.instance(error, EventlakeError);
    }
  }
  for (const param of ['account) OR (1=1', '__proto__', "since'--"]) {
    try {
      await query.named('account_history', { account: 'ACC-000001', [param]: 1 });
      assert.unreachable(`accepted the parameter ${param}`);
    } catch (error) {
      assert.instance(error, EventlakeError);
    }
  }
});

test(`SQLite index: ${RUNS} fuzzed account and type lists in between() match only exact values`, async () => {
  let cases = 0;
  let foreign = 0;
  await fc.assert(fc.asyncProperty(fc.array(hostileString(), { maxLength: 3 }), fc.array(hostileString(), { maxLength: 2 }), async (accounts, types) => {
    cases++;
    let rows = 0;
    for await (const e of local.index.between({ from: 0, to: 4_102_444_800, accounts: [...accounts, "' OR 1=1 --"], ...(types.length ? { types } : {}) })) {
      if (!e.accounts.some((a) => accounts.includes(a)) || (types.length > 0 && !types.includes(e.type))) rows++;
    }
    foreign += rows;
    assert.is(rows, 0, 'rows of other accounts or types came back');
  }), { numRuns: RUNS });
  tally.add('fuzz SQL (SQLite index)', { cases, 'rows of other accounts': foreign });
  assert.is(foreign, 0);
});

// Once a finding: `accounts: ['']` was "no filter" for DuckDbEventQuery.eventsBetween but "the account ''" for the index.
test('an empty-string account filter matches nothing, in DuckDB as in the index', async () => {
  const duck = await query.eventsBetween({ from: 0, to: 4_102_444_800, accounts: [''] });
  const index = [];
  for await (const e of local.index.between({ from: 0, to: 4_102_444_800, accounts: [''] })) index.push(e);
  assert.is(duck.rows.length, 0);
  assert.is(index.length, 0);
});

test('nothing was changed: same files, same rows, same counts', async () => {
  assert.equal(listing(dataDir), before.files);
  assert.is(await local.index.count(), before.rows);
  assert.is(JSON.stringify((await query.named('counts_per_type_per_day', {})).rows), before.counts);
});

test.run();
