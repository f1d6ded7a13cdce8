// One-account named queries filter in the `ranged` CTE, before copies are ranked (so a query for one account no longer
// ranks, and holds, every row of its range), and answer exactly what filtering after the ranking answered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventKey, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { accountNumber, generateEvents } from '../../domain/generator.ts';
import { OBJECT_KEY_PATTERN, QUERY_CATALOGUE, bindQuery, queryCatalogue, type QueryParams, type QueryValue } from '../../domain/query-catalogue.ts';
import { compactHour } from '../../projections/compactor.ts';
import { put } from '../support/log-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const H = 3600;
const START = Date.UTC(2023, 11, 31, 21) / 1000; // the log crosses a day, month and year boundary
const ACCOUNTS = 4;
const A = accountNumber(1);

/** The values a bound query gives the placeholders of its `ranged` CTE, where copies are ranked. */
function rangedValues(name: string, params: QueryParams, catalogue = QUERY_CATALOGUE): { text: string; values: QueryValue[] } {
  const { sql, values } = bindQuery(catalogue, name, params);
  const text = sql.slice(0, sql.indexOf('), unique_events'));
  return { text, values: values.slice(0, text.split('?').length - 1) };
}

// "Without the pushdown": rank every copy of the range first, then keep the account's events.
const HISTORY_AFTER_RANKING = `WITH ranked AS (
  SELECT *, regexp_extract("$path", '${OBJECT_KEY_PATTERN}') AS object_key,
    row_number() OVER (PARTITION BY EventType, RequestId
      ORDER BY CASE WHEN regexp_extract("$path", '${OBJECT_KEY_PATTERN}') LIKE '%/segment%.ndjson' THEN 0 ELSE 1 END, "$path") AS copy_rank
  FROM events WHERE EventTimeStamp >= ? AND EventTimeStamp < ?)
SELECT EventType || '_' || RequestId AS event_id, EventType AS event_type, EventTimeStamp AS event_time,
  SourceAccount AS source_account, TargetAccount AS target_account, Amount AS amount, Reference AS reference, object_key
FROM ranked WHERE copy_rank = 1 AND (SourceAccount = ? OR TargetAccount = ?)
ORDER BY event_time, event_id`;

/**
 * A log of generated events in batch objects where every other verification credits another account than its
 * deposit, some hours compacted (two left with their batch objects beside the segment, as a crash leaves them), and
 * one-event copies of some events beside their batch object or segment.
 */
async function logWithCopies(): Promise<{ dataDir: string; events: DomainEvent[] }> {
  let verifications = 0;
  const events = generateEvents({ accounts: ACCOUNTS, days: 1, eventsPerDay: 400, start: START, seed: 11 }).map((e) => {
    if (e.EventType !== 'verify_cash_deposit' || verifications++ % 2 === 0) return e;
    return { ...e, TargetAccount: accountNumber((Number(String(e['TargetAccount']).slice(4)) + 1) % ACCOUNTS) };
  });
  const dataDir = tempDir('eventlake-one-account-');
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => undefined });
  try {
    for (let i = 0; i < events.length; i += 25) await local.log.append(events.slice(i, i + 25));
    await local.catchUp();
    const crash = () => { throw new Error('simulated crash'); };
    for (const [hour, afterSegment] of [[1, true], [2, false], [5, true], [9, false]] as const) {
      await compactHour({ log: local.log, index: local.index }, partitionPrefix(START + hour * H), afterSegment ? { afterSegment: crash } : {})
        .catch((error: Error) => { if (error.message !== 'simulated crash') throw error; });
    }
    for (const e of events.filter((_, i) => i % 37 === 0)) put(join(dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
  } finally {
    await local.close();
  }
  return { dataDir, events };
}

const test = suite('one-account named queries');

test('account_history binds its account inside the ranged CTE, before copies are ranked', () => {
  const { values } = rangedValues('account_history', { account: A });
  assert.equal(values.filter((v) => v === A).length, 2);
});

test('account_history over declared account fields filters by those fields inside the ranged CTE', () => {
  const catalogue = queryCatalogue([{ type: 'card_payment', version: 1, fields: ['CardAccount'] }]);
  const { text, values } = rangedValues('account_history', { account: A }, catalogue);
  assert.ok(text.includes('"CardAccount"'), text);
  assert.ok(values.includes(A));
});

test('reconciliation_totals for one account binds it inside the ranged CTE, and keeps every verification there', () => {
  const { text, values } = rangedValues('reconciliation_totals', { account: A });
  assert.equal(values.filter((v) => v === A).length, 3);
  assert.match(text, /OR EventType = 'verify_cash_deposit'\)/);
});

test('events_to_replay binds its type and account lists inside the ranged CTE', () => {
  const { values } = rangedValues('events_to_replay', { from: 0, type: 'cash_deposit', account: A });
  assert.equal(values.filter((v) => v === `,${A},`).length, 3);
  assert.equal(values.filter((v) => v === ',cash_deposit,').length, 2);
});

test('on a log with copies, cross-account verifications and transfers both ways, one account answers as filtering after ranking does', async () => {
  const { dataDir, events } = await logWithCopies();
  const transfers = events.filter((e) => e.EventType === 'inter_account_transfer');
  assert.ok(transfers.some((e) => e['SourceAccount'] === A) && transfers.some((e) => e['TargetAccount'] === A), 'transfers from and to A');
  const deposits = new Map(events.filter((e) => e.EventType === 'cash_deposit').map((e) => [e.RequestId, e['TargetAccount']]));
  assert.ok(events.some((e) => e.EventType === 'verify_cash_deposit' && deposits.get(e.RequestId) !== e['TargetAccount']), 'a verification credits another account');
  const query = new DuckDbEventQuery({ dataDir, cacheRows: 0 });
  try {
    const copies = await query.sql('SELECT count(*) AS n FROM (SELECT EventType, RequestId FROM events GROUP BY 1, 2 HAVING count(*) > 1)');
    assert.ok(Number(copies.rows[0]!['n']) > 10, `events with copies: ${String(copies.rows[0]!['n'])}`);
    const ranges = [{ from: 0, to: 4_102_444_801 }, { from: START + 2 * H, to: START + 9 * H }, { from: START + 5 * H + 1800, to: START + 20 * H }];
    let rows = 0;
    for (const range of ranges) {
      const all = await query.named('reconciliation_totals', range);
      for (let i = 0; i <= ACCOUNTS; i++) {
        const account = accountNumber(i);
        const one = await query.named('reconciliation_totals', { ...range, account });
        assert.equal(one.rows, all.rows.filter((r) => r['account'] === account), `reconciliation_totals ${account} ${JSON.stringify(range)}`);
        const history = await query.named('account_history', { ...range, account });
        const reference = await query.sql(HISTORY_AFTER_RANKING, [range.from, range.to, account, account]);
        assert.equal({ columns: history.columns, rows: history.rows }, { columns: reference.columns, rows: reference.rows }, `account_history ${account} ${JSON.stringify(range)}`);
        rows += history.rows.length + one.rows.length;
      }
    }
    assert.ok(rows > 100, `the queries found rows (${rows})`);
  } finally {
    await query.close();
  }
});

test.run();
