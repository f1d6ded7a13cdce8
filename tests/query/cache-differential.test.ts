// Differential: eventsBetween answered from DuckDbEventQuery's cache (warm, cold, too small) gives exactly the rows,
// order and unreadable objects of the catalogue's SQL, on random logs written through the real local adapters.
// EVENTLAKE_QUERY_DIFF_RUNS=200 runs longer; EVENTLAKE_QUERY_DIFF_SEED=N replays one failing case.
import { suite } from 'uvu';
import { diffRuns } from './differential-log.ts';
import { eachLog } from './differential-engines.ts';
import { lanes, runAhead } from '../support/run-ahead.ts';

const { runs, firstSeed } = diffRuns(5);
const STEPS = 30;
const QUERIES = 25;

const test = suite('eventsBetween: cache against SQL');

test('on random logs (appends, compactions, crashes mid-compaction, copies, archives, restores), every random query gets the SQL answer from every cache', async () => {
  // One log per seed, two at a time: a log's DuckDB engines work in their own threads while the other log's steps
  // use this one. Each log is checked as eachLog checks it (its own rows over its queries included).
  const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i);
  const perLog = await Promise.all(runAhead(seeds.map((seed) => () => eachLog({ runs: 1, firstSeed: seed }, async (log, check) => {
    for (let s = 0; s < STEPS; s++) await log.step();
    for (let k = 0; k < QUERIES; k++) await check(k % 5 === 0);
  })), lanes()));
  const queries = perLog.reduce((n, t) => n + t.queries, 0);
  const rows = perLog.reduce((n, t) => n + t.rows, 0);
  console.log(`\n[summary] query cache differential: ${runs} logs from seed ${firstSeed}, ${queries} queries, ${rows} rows, all equal to SQL`);
});

test.run();
