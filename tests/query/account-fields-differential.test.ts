// Differential: with user event types that declare their account fields (x-eventlake-accounts), eventsBetween's
// account filter gives the same answer from DuckDbEventQuery's cache as from the catalogue's SQL, and both agree with
// the index, whose entries the indexer derived from the same declarations.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { eachLog } from './differential-engines.ts';
import { DiffLog, diffRuns, HOURS, H, START } from './differential-log.ts';

const { runs, firstSeed } = diffRuns(3);

const test = suite('eventsBetween over declared account fields: cache, SQL and index agree');

test('on random logs with card payments and fees, every random query gets the SQL answer from every cache', async () => {
  const { queries, rows } = await eachLog({ runs, firstSeed, logSeedOffset: 5_000, userTypes: true }, async (log, check) => {
    for (let s = 0; s < 30; s++) await log.step();
    for (let k = 0; k < 25; k++) await check(k % 5 === 0);
  });
  console.log(`\n[summary] account-fields differential: ${runs} logs from seed ${firstSeed}, ${queries} queries, ${rows} rows, all equal to SQL`);
});

test('the SQL finds by account exactly the events the index finds (a log with nothing archived)', async () => {
  const log = await DiffLog.open(firstSeed + 7_000, { userTypes: true });
  const { registry } = log.local;
  const query = new DuckDbEventQuery({ dataDir: log.dataDir, cacheRows: 0, extraColumns: schemaColumns(registry).columns, accounts: accountDeclarations(registry) });
  try {
    for (let s = 0; s < 20; s++) await log.append();
    let compared = 0;
    for (let k = 0; k < 20; k++) {
      const q: TimeRangeQuery = { ...log.query(), from: START, to: START + HOURS * H };
      if (!q.accounts) continue;
      const indexed: string[] = [];
      for await (const e of log.local.index.between(q)) indexed.push(e.id);
      const answered = (await query.eventsBetween(q)).rows.map((r) => String(r['event_id']));
      assert.equal([...answered].sort(), [...indexed].sort(), JSON.stringify(q));
      compared += answered.length;
    }
    assert.ok(compared > 0, 'some queries found events');
  } finally {
    await query.close();
    await log.close();
  }
});

test.run();
