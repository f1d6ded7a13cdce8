// `restoring` names the unreadable objects whose restore is already running, so the operator waits instead of asking
// again; the archive tier is asked only about the range's unreadable objects, and a restore that came due while
// nobody looked is completed by that question and read by the same query.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../adapters/local/local-eventlake.ts';
import type { QueryResult } from '../../../domain/ports/event-query.ts';
import { runLifecycle } from '../../../projections/lifecycle.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('DuckDbEventQuery restoring objects');
const HOUR = Date.UTC(2024, 2, 1, 10) / 1000;
const RANGE = { from: HOUR, to: HOUR + 7200 };
const DELAY_MS = 60_000;

interface Lake {
  readonly local: LocalEventlake;
  /** Segments of the archived 10:00 and 11:00 hours (one event each). */
  readonly first: string;
  readonly second: string;
  /** Move the tier's clock. */
  advance(ms: number): void;
}

/** Two archived hours; a Standard restore of the first is requested (ready after 3 × DELAY_MS) and not done. */
async function lakeRestoringFirstHour(): Promise<Lake> {
  let clock = (HOUR + 30 * 86_400) * 1000;
  const local = await openLocalEventlake({ dataDir: tempDir(), restoreDelayMs: DELAY_MS, now: () => clock });
  await local.lake.emit([300, 3900].map((s, i) => variant('cash_deposit', { EventTimeStamp: HOUR + s, RequestId: `00000000-0000-4000-8000-00000000000${i}` })));
  await runLifecycle(local, { now: clock });
  const [first, second] = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key).sort();
  await local.archive.restore([first!], { tier: 'Standard', days: 1 });
  return { local, first: first!, second: second!, advance: (ms) => { clock += ms; } };
}

async function withQuery<T>(lake: Lake, fn: (query: DuckDbEventQuery) => Promise<T>, told = true): Promise<T> {
  const query = new DuckDbEventQuery({ dataDir: lake.local.dataDir, ...(told ? { restores: (keys: readonly string[]) => lake.local.archive.storage(keys) } : {}) });
  try {
    return await fn(query);
  } finally {
    await query.close();
    await lake.local.close();
  }
}

const missing = (r: QueryResult) => ({ unreadable: r.unreadable, restoring: r.restoring });

test('an object whose restore is running is named in restoring, and stays in unreadable (its events are missing)', async () => {
  const lake = await lakeRestoringFirstHour();
  const results = await withQuery(lake, async (q) => [
    await q.eventsBetween(RANGE), // the cache path
    await q.named('events_to_replay', RANGE), // SQL over the range
    await q.sql('SELECT count(*) AS n FROM events'), // SQL over the whole log
  ]);
  for (const r of results) assert.equal(missing(r), { unreadable: [lake.first, lake.second], restoring: [lake.first] });
});

test('the archive tier is asked only about the unreadable objects of the range', async () => {
  const lake = await lakeRestoringFirstHour();
  const asked: string[][] = [];
  const query = new DuckDbEventQuery({ dataDir: lake.local.dataDir, restores: (keys) => { asked.push([...keys]); return lake.local.archive.storage(keys); } });
  try {
    await query.eventsBetween({ from: HOUR + 3600, to: HOUR + 7200 });
    await query.eventsBetween({ from: HOUR + 7200, to: HOUR + 10_800 });
  } finally {
    await query.close();
    await lake.local.close();
  }
  assert.equal(asked, [[lake.second]]);
});

test('a restore that came due is completed by the question, and the same query reads its events', async () => {
  const lake = await lakeRestoringFirstHour();
  lake.advance(3 * DELAY_MS);
  const r = await withQuery(lake, (q) => q.eventsBetween(RANGE));
  assert.equal(missing(r), { unreadable: [lake.second], restoring: [] });
  assert.equal(r.rows.map((row) => Number(row['event_time'])), [HOUR + 300]);
});

test('without the archive tier, restoring is absent: unknown, never an empty list that would read as "none running"', async () => {
  const lake = await lakeRestoringFirstHour();
  const r = await withQuery(lake, (q) => q.eventsBetween(RANGE), false);
  assert.equal(missing(r), { unreadable: [lake.first, lake.second], restoring: undefined });
});

test.run();
