// The statement a filtered range page runs reads index.db in page order, so SQLite stops at the page's LIMIT: no temp
// B-tree sorting the range, no scan of a table, and a type filter served by events_by_type (a page of a rare type read
// every event of its range through events_by_time; a page of several accounts sorted all their rows).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openIndexDb } from '../../../adapters/local/sqlite-index-db.ts';
import { indexStatements } from '../../../adapters/local/sqlite-index-statements.ts';
import { MAX_MERGED, RangeReads } from '../../../adapters/local/sqlite-range-reads.ts';
import type { TimeRangeQuery } from '../../../domain/ports/event-index.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteEventIndex: plans of filtered range pages');

let db: Database.Database;
let reads: RangeReads;

test.before(() => {
  db = openIndexDb(join(tempDir('eventlake-plan-'), 'index.db'), {});
  reads = new RangeReads(db, indexStatements(db));
});
test.after(() => {
  db.close();
});

/** The steps SQLite plans for the statement of a page of `filter`, one per line. */
function plan(filter: Partial<TimeRangeQuery>): string {
  const { statement, params } = reads.statementFor({ from: 0, to: 10, ...filter });
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all({ ...params, afterTs: 0, afterId: '', limit: 5 }) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

/** Neither a sort of the rows nor a scan of a table (scans of the json_each list and of a merged co-routine are fine). */
function readsInPageOrder(steps: string): void {
  assert.not.match(steps, /TEMP B-TREE/);
  assert.not.match(steps, /SCAN (e|events|a USING|event_accounts)\b/);
}

const SEEK = String.raw`\(type=\? AND \(timestamp,id\)>\(\?,\?\) AND timestamp<\?\)`;

test('a page of one type seeks events_by_type to its cursor and reads it in page order', () => {
  const steps = plan({ types: ['cash_deposit'] });
  assert.match(steps, new RegExp(`SEARCH e USING INDEX events_by_type ${SEEK}`));
  readsInPageOrder(steps);
});

test('a page of several types merges one events_by_type read per type, in page order', () => {
  const steps = plan({ types: ['cash_deposit', 'card_payment', 'account_closed'] });
  assert.is(steps.match(new RegExp(`SEARCH e USING INDEX events_by_type ${SEEK}`, 'g'))?.length, 3);
  assert.match(steps, /MERGE \(UNION ALL\)/);
  readsInPageOrder(steps);
});

test('a type named twice is read once', () => {
  assert.is(plan({ types: ['cash_deposit', 'cash_deposit'] }).match(/events_by_type/g)?.length, 1);
});

test('a page of several accounts merges one read of event_accounts per account, in page order', () => {
  const steps = plan({ accounts: ['ACC-1', 'ACC-2', 'ACC-3'] });
  assert.is(steps.match(/SEARCH event_accounts USING PRIMARY KEY \(account=\? AND \(timestamp,id\)>\(\?,\?\) AND timestamp<\?\)/g)?.length, 3);
  assert.match(steps, /MERGE \(UNION\)/);
  readsInPageOrder(steps);
});

test('a page of several accounts and a type reads the merged accounts in page order', () => {
  readsInPageOrder(plan({ accounts: ['ACC-1', 'ACC-2'], types: ['cash_deposit'] }));
});

test(`a page of ${MAX_MERGED} accounts or types is still merged in page order`, () => {
  const many = Array.from({ length: MAX_MERGED }, (_, i) => `X-${i}`);
  readsInPageOrder(plan({ accounts: many }));
  readsInPageOrder(plan({ types: many }));
});

test.run();
