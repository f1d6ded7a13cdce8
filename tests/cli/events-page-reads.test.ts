// A GET /events page reads from index.db the rows it returns and one more (is there a next page?), not the index's
// 1,000-row range page: `limit=5` used to read 1,000 rows to answer 5.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { eventsPage } from '../../cli/http-events.ts';
import type { NewIndexEntry } from '../../domain/ports/event-index.ts';
import type { EventsParams } from '../../cli/http-events-params.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('GET /events: rows of index.db a page reads');

const T0 = 1_714_000_000;
const EVENTS = 2_500;
const id = (n: number) => `cash_deposit_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// 10 events a second, so pages end inside seconds; two accounts, so the merged account read is exercised too.
const entry = (n: number): NewIndexEntry => ({
  id: id(n), type: 'cash_deposit', timestamp: T0 + Math.floor(n / 10), accounts: [`ACC-${n % 2}`],
  location: { key: `k/${n}` }, size: 1, storageClass: 'STANDARD', restore: 'NONE',
});

/** `work`'s result and the rows every better-sqlite3 `all()` handed back meanwhile: what the page read of index.db. */
async function rowsRead<T>(work: () => Promise<T>): Promise<{ result: T; rows: number }> {
  const proto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown[] };
  const all = proto.all;
  let rows = 0;
  proto.all = function (this: unknown, ...args: unknown[]) {
    const out = all.apply(this, args);
    rows += out.length;
    return out;
  };
  try {
    return { result: await work(), rows };
  } finally {
    proto.all = all;
  }
}

function withIndex(work: (index: SqliteEventIndex) => Promise<void>): () => Promise<void> {
  return async () => {
    const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
    try {
      await index.put(Array.from({ length: EVENTS }, (_, n) => entry(n)));
      await work(index);
    } finally {
      index.close();
    }
  };
}

const params = (extra: Partial<EventsParams>): EventsParams => ({ from: T0, to: T0 + 1_000, limit: 5, ...extra });

test('a first page of 5 reads 6 rows of index.db, and answers the first 5 events with the 5th as next', withIndex(async (index) => {
  const { result, rows } = await rowsRead(() => eventsPage(index, params({})));
  assert.equal(result.entries.map((e) => e.id), [0, 1, 2, 3, 4].map(id));
  assert.is(result.next, id(4));
  assert.ok(rows <= 6, `read ${rows} rows for a page of 5`);
}));

test('a page of 5 after a cursor deep in the range reads 6 rows of index.db', withIndex(async (index) => {
  const { result, rows } = await rowsRead(() => eventsPage(index, params({ after: id(2_000) })));
  assert.equal(result.entries.map((e) => e.id), [2_001, 2_002, 2_003, 2_004, 2_005].map(id));
  assert.ok(rows <= 6, `read ${rows} rows for a page of 5`);
}));

test('a page of 5 of two accounts reads 6 rows of index.db', withIndex(async (index) => {
  const { result, rows } = await rowsRead(() => eventsPage(index, params({ accounts: ['ACC-1', 'ACC-0'] })));
  assert.equal(result.entries.map((e) => e.id), [0, 1, 2, 3, 4].map(id));
  assert.ok(rows <= 6, `read ${rows} rows for a page of 5`);
}));

test('a page of 1,000 reads 1,001 rows of index.db, not two index pages', withIndex(async (index) => {
  const { result, rows } = await rowsRead(() => eventsPage(index, params({ limit: 1_000 })));
  assert.is(result.entries.length, 1_000);
  assert.is(result.next, id(999));
  assert.ok(rows <= 1_001, `read ${rows} rows for a page of 1,000`);
}));

test('a last page exactly limit long has no next', withIndex(async (index) => {
  const page = await eventsPage(index, params({ limit: 5, after: id(EVENTS - 6) }));
  assert.equal(page.entries.map((e) => e.id), [5, 4, 3, 2, 1].map((k) => id(EVENTS - k)));
  assert.is(page.next, undefined);
}));

test.run();
