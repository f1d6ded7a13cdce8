// The ways DuckDbEventQuery can answer eventsBetween, side by side: SQL (cache off), a warm cache kept across every
// query, a cache too small for the log (files dropped and loaded again), and a cold cache made for one query.
//
// Why count SQL runs of the cached engines: a cache that quietly fell back to SQL would make every comparison one of
// SQL with itself, and the differential test could not fail.

import * as assert from 'uvu/assert';
import { DuckDbEventQuery, type DuckDbEventQueryOptions } from '../../adapters/local/duckdb-event-query.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { QueryResult } from '../../domain/ports/event-query.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { DiffLog } from './differential-log.ts';

type Answer = Omit<QueryResult, 'stats'>;
const answer = (r: QueryResult): Answer => ({ columns: r.columns, rows: r.rows, unreadable: r.unreadable });

/** Counts the queries `query` answered as SQL rather than from its cache. */
function countingSql(query: DuckDbEventQuery, counter: { sql: number }): DuckDbEventQuery {
  const seam = query as unknown as { runNow: (...args: unknown[]) => Promise<QueryResult> };
  const runNow = seam.runNow.bind(query);
  seam.runNow = (...args) => (counter.sql++, runNow(...args));
  return query;
}

export class Engines {
  /** Queries the cached engines answered as SQL (zero when the cache answered everything). */
  readonly fallbacks = { sql: 0 };
  readonly sql: DuckDbEventQuery;
  readonly warm: DuckDbEventQuery;
  readonly tiny: DuckDbEventQuery;

  /** `options`: the columns and account fields of user event types, given to every engine alike. */
  constructor(private readonly dataDir: string, private readonly options: Pick<DuckDbEventQueryOptions, 'extraColumns' | 'accounts'> = {}) {
    this.sql = new DuckDbEventQuery({ dataDir, cacheRows: 0, ...options });
    this.warm = countingSql(new DuckDbEventQuery({ dataDir, ...options }), this.fallbacks);
    this.tiny = countingSql(new DuckDbEventQuery({ dataDir, cacheRows: 7, ...options }), this.fallbacks);
  }

  /** The SQL answer, and which cached engines gave another one (with theirs). */
  async compare(q: TimeRangeQuery, withCold = true): Promise<{ expected: Answer; differ: Record<string, Answer> }> {
    const expected = answer(await this.sql.eventsBetween(q));
    const answers: Record<string, Answer> = {
      warm: answer(await this.warm.eventsBetween(q)),
      tiny: answer(await this.tiny.eventsBetween(q)),
    };
    if (withCold) {
      const cold = countingSql(new DuckDbEventQuery({ dataDir: this.dataDir, ...this.options }), this.fallbacks);
      try {
        answers['cold'] = answer(await cold.eventsBetween(q));
      } finally {
        await cold.close();
      }
    }
    const same = (a: Answer) => JSON.stringify(a) === JSON.stringify(expected);
    return { expected, differ: Object.fromEntries(Object.entries(answers).filter(([, a]) => !same(a))) };
  }

  async close(): Promise<void> {
    for (const q of [this.sql, this.warm, this.tiny]) await q.close();
  }
}

/** A failure's report: the seed to replay, what was done to the log, the query and the first differing row. */
export function report(seed: number, steps: readonly string[], q: TimeRangeQuery, expected: Answer, differ: Record<string, Answer>): string {
  const [engine, got] = Object.entries(differ)[0]!;
  const n = Math.max(expected.rows.length, got.rows.length);
  const i = Array.from({ length: n }, (_, k) => k).find((k) => JSON.stringify(expected.rows[k]) !== JSON.stringify(got.rows[k])) ?? -1;
  return [
    `EVENTLAKE_QUERY_DIFF_SEED=${seed}: the ${engine} cache (and ${Object.keys(differ).join(', ')}) differ from SQL`,
    `query ${JSON.stringify(q)}`,
    `rows: SQL ${expected.rows.length}, cache ${got.rows.length}; first difference at ${i}: SQL ${JSON.stringify(expected.rows[i])} cache ${JSON.stringify(got.rows[i])}`,
    `unreadable: SQL ${JSON.stringify(expected.unreadable)} cache ${JSON.stringify(got.unreadable)}`,
    'steps:', ...steps.map((s) => `  ${s}`),
  ].join('\n');
}

/**
 * For each seed of `runs` from `firstSeed`: a fresh DiffLog (of seed + `logSeedOffset`, with user event types when
 * `userTypes`: its engines then get their columns and account fields) and its engines, handed to
 * `body` with `check`, which draws a random query and fails with a report unless every cached engine (and a cold one
 * when asked) answers as SQL. Fails too when a cached engine answered as SQL. Returns how many queries and rows.
 */
export async function eachLog(
  runs: { runs: number; firstSeed: number; logSeedOffset?: number; userTypes?: boolean },
  body: (log: DiffLog, check: (withCold: boolean) => Promise<void>) => Promise<void>,
): Promise<{ queries: number; rows: number }> {
  const totals = { queries: 0, rows: 0 };
  for (let seed = runs.firstSeed; seed < runs.firstSeed + runs.runs; seed++) {
    const log = await DiffLog.open(seed + (runs.logSeedOffset ?? 0), { userTypes: runs.userTypes ?? false });
    const { registry } = log.local;
    const engines = new Engines(log.dataDir, runs.userTypes ? { extraColumns: schemaColumns(registry).columns, accounts: accountDeclarations(registry) } : {});
    try {
      await body(log, async (withCold) => {
        const q = log.query();
        const { expected, differ } = await engines.compare(q, withCold);
        if (Object.keys(differ).length > 0) assert.unreachable(report(seed, log.steps, q, expected, differ));
        totals.queries++;
        totals.rows += expected.rows.length;
      });
      assert.is(engines.fallbacks.sql, 0, 'a cached engine answered as SQL: the comparison would be SQL against SQL');
    } finally {
      await engines.close();
      await log.close();
    }
  }
  assert.ok(totals.rows > totals.queries, `the queries found rows (${totals.rows} over ${totals.queries} queries)`);
  return totals;
}
