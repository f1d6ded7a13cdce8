// Differential: a DuckDbEventQuery kept open while the log changes under it (new batch objects, compaction replacing
// them by a segment, crashes leaving both, archive moving files away, restored copies appearing and expiring) answers
// eventsBetween after each change exactly as a fresh SQL query does: its cache is never stale.
// EVENTLAKE_QUERY_DIFF_RUNS=200 runs longer; EVENTLAKE_QUERY_DIFF_SEED=N replays one failing case.
import { suite } from 'uvu';
import { diffRuns } from './differential-log.ts';
import { eachLog } from './differential-engines.ts';

const { runs, firstSeed } = diffRuns(4);
const STEPS = 30;
const QUERIES_PER_STEP = 2;

const test = suite('eventsBetween: cache kept across changes of the log');

test('after every change of the log, the long-lived caches answer every random query as fresh SQL does', async () => {
  const { queries, rows } = await eachLog({ runs, firstSeed, logSeedOffset: 10_000 }, async (log, check) => {
    for (let s = 0; s < STEPS; s++) {
      await log.step();
      for (let k = 0; k < QUERIES_PER_STEP; k++) await check(false);
    }
  });
  console.log(`\n[summary] query cache staleness differential: ${runs} logs from seed ${firstSeed}, ${queries} queries after changes, ${rows} rows, all equal to SQL`);
});

test.run();
