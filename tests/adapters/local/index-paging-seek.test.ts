// Paging a time range of the local index: each page seeks index.db to its keyset cursor (a page deep in a wide
// range costs what the first does), and the pages together are exactly one unpaged read of the range, however many
// events share the second a page ends in.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openIndexDb } from '../../../adapters/local/sqlite-index-db.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { indexStatements, rangeSeek } from '../../../adapters/local/sqlite-index-statements.ts';
import type { IndexEntry, IndexRangeQuery, NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteEventIndex range paging seeks');
const T = 1_700_000_000;
/** One more than two of between()'s 1,000-row pages, 300 events a second: both page ends fall inside a second. */
const EVENTS = 2_345;

function entry(i: number): NewIndexEntry {
  // Ids out of insertion order, so (timestamp, id) order is not position order.
  const id = `evt_${((i * 7919) % 10_007).toString().padStart(5, '0')}`;
  return { id, type: i % 3 === 0 ? 'cash_deposit' : 'card_payment', timestamp: T + Math.floor(i / 300), accounts: [`ACC-${i % 2}`], location: { key: `k/${i}` }, size: 1, storageClass: 'STANDARD', restore: 'NONE' };
}

async function all(index: SqliteEventIndex, query: IndexRangeQuery): Promise<IndexEntry[]> {
  const out: IndexEntry[] = [];
  for await (const e of index.between(query)) out.push(e);
  return out;
}

/** The range read in one statement, no keyset: what every paged read must equal. */
function unpaged(file: string, where: string, params: Record<string, unknown>): string[] {
  const db = openIndexDb(file, {});
  try {
    return db.prepare(`SELECT id FROM events WHERE ${where} ORDER BY timestamp, id`).pluck().all(params) as string[];
  } finally {
    db.close();
  }
}

function withIndex(work: (index: SqliteEventIndex, file: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const file = join(tempDir('eventlake-paging-'), 'index.db');
    const index = new SqliteEventIndex(file);
    try {
      await index.put(Array.from({ length: EVENTS }, (_, i) => entry(i)));
      await work(index, file);
    } finally {
      index.close();
    }
  };
}

/** The plan SQLite picks for `sql` on index.db, one line per step. */
function plan(sql: string): string {
  const db = openIndexDb(join(tempDir('eventlake-plan-'), 'index.db'), {});
  try {
    const params = { from: 0, to: 10, afterTs: 0, afterId: '', types: null, accounts: null, limit: 5 };
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
  } finally {
    db.close();
  }
}

function statementSql(name: 'betweenByTime' | 'betweenByAccount' | 'betweenOneAccount'): string {
  const db = openIndexDb(join(tempDir('eventlake-plan-'), 'index.db'), {});
  try {
    return indexStatements(db)[name].source;
  } finally {
    db.close();
  }
}

test('a time range page seeks events_by_time to its (timestamp, id) cursor, not to the range start', () => {
  assert.match(plan(statementSql('betweenByTime')), /SEARCH e USING INDEX events_by_time \(\(timestamp,id\)>\(\?,\?\) AND timestamp<\?\)/);
});

test("an account range page seeks each account's rows to its (timestamp, id) cursor", () => {
  assert.match(plan(statementSql('betweenByAccount')), /SEARCH a USING PRIMARY KEY \(account=\? AND \(timestamp,id\)>\(\?,\?\) AND timestamp<\?\)/);
});

test("a one-account page reads that account's rows in page order and stops at the page, sorting nothing", () => {
  const steps = plan(statementSql('betweenOneAccount'));
  assert.match(steps, /SEARCH a USING PRIMARY KEY \(account=\? AND \(timestamp,id\)>\(\?,\?\) AND timestamp<\?\)/);
  assert.not.match(steps, /TEMP B-TREE/);
});

test('the first page seeks to the range start, before every event of its first second', () => {
  assert.equal(rangeSeek(T + 5, undefined), { afterTs: T + 5, afterId: '' });
});

test('a cursor before the range start seeks to the range start, not to the cursor', () => {
  assert.equal(rangeSeek(T + 5, { timestamp: T + 1, id: 'evt_9' }), { afterTs: T + 5, afterId: '' });
});

test('a cursor inside the range is the seek itself', () => {
  assert.equal(rangeSeek(T + 5, { timestamp: T + 5, id: 'evt_9' }), { afterTs: T + 5, afterId: 'evt_9' });
});

test('paging a range whose page ends fall inside a second returns exactly the unpaged read, in order', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T, to: T + 100 })).map((e) => e.id);
  assert.is(paged.length, EVENTS);
  assert.equal(paged, unpaged(file, 'timestamp >= @from AND timestamp < @to', { from: T, to: T + 100 }));
}));

test('paging a range that starts and ends inside the data returns exactly the unpaged read', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T + 1, to: T + 7 })).map((e) => e.id);
  assert.equal(paged, unpaged(file, 'timestamp >= @from AND timestamp < @to', { from: T + 1, to: T + 7 }));
}));

test('paging from a cursor mid-second returns exactly the events after it', withIndex(async (index, file) => {
  const whole = unpaged(file, 'timestamp >= @from AND timestamp < @to', { from: T, to: T + 100 });
  const cursor = (await index.get(whole[1_000]!))!;
  const paged = (await all(index, { from: T, to: T + 100, after: { timestamp: cursor.timestamp, id: cursor.id } })).map((e) => e.id);
  assert.equal(paged, whole.slice(1_001));
}));

test('a cursor before the range start returns the whole range', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T + 2, to: T + 100, after: { timestamp: T, id: 'zzz' } })).map((e) => e.id);
  assert.equal(paged, unpaged(file, 'timestamp >= @from AND timestamp < @to', { from: T + 2, to: T + 100 }));
}));

test('paging a type filter returns exactly the unpaged read of that type', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T, to: T + 100, types: ['card_payment'] })).map((e) => e.id);
  assert.ok(paged.length > 1_000);
  assert.equal(paged, unpaged(file, "timestamp >= @from AND timestamp < @to AND type = 'card_payment'", { from: T, to: T + 100 }));
}));

test('paging an account filter returns exactly the unpaged read of that account', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T, to: T + 100, accounts: ['ACC-1'] })).map((e) => e.id);
  assert.ok(paged.length > 1_000);
  assert.equal(paged, unpaged(file, "timestamp >= @from AND timestamp < @to AND accounts = '[\"ACC-1\"]'", { from: T, to: T + 100 }));
}));

test('an account named twice pages exactly as the account named once', withIndex(async (index) => {
  const once = (await all(index, { from: T, to: T + 100, accounts: ['ACC-0'] })).map((e) => e.id);
  assert.ok(once.length > 1_000);
  assert.equal((await all(index, { from: T, to: T + 100, accounts: ['ACC-0', 'ACC-0'] })).map((e) => e.id), once);
}));

test('paging two accounts returns exactly the unpaged read of either', withIndex(async (index, file) => {
  const paged = (await all(index, { from: T, to: T + 100, accounts: ['ACC-1', 'ACC-0'] })).map((e) => e.id);
  assert.equal(paged, unpaged(file, 'timestamp >= @from AND timestamp < @to', { from: T, to: T + 100 }));
}));

test('an empty range and a range past the last event return nothing', withIndex(async (index) => {
  assert.equal(await all(index, { from: T + 3, to: T + 3 }), []);
  assert.equal(await all(index, { from: T + 100, to: T + 200 }), []);
}));

test.run();
