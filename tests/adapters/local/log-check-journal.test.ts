// checkLog's journal report: the segments and bytes the ingest journal keeps, and how many of them only because the
// indexer (its cursor in index.db) has not read past them. Information: it never makes the log less than whole.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { appendPastIndexer } from '../../support/stalled-indexer.ts';

const test = suite<{ dir: string }>('checkLog: journal retention');
/** A copy per test of one healthy data dir, built once for the file. */
const healthy = fixtureCopies(healthyDataDir);
test.before.each(async (ctx) => {
  ctx.dir = await healthy();
});

test('a journal the indexer has read to its end: one segment kept, none held by the indexer', async ({ dir }) => {
  const bytes = statSync(join(dir, 'journal', 'ingest.log')).size;
  const { journal } = await checkLog(dir);
  assert.equal(journal, { segments: 1, bytes, start: 0, end: bytes, indexerCursor: bytes, heldByIndexer: { segments: 0, bytes: 0 } });
});

test('segments a stalled indexer has not read past are held by it, counted with their bytes', async ({ dir }) => {
  const ends = await appendPastIndexer(dir, 3); // segments: the indexed one, then one per append
  const { journal } = await checkLog(dir);
  assert.equal(journal, {
    segments: 4,
    bytes: ends[3]!,
    start: 0,
    end: ends[3]!,
    indexerCursor: ends[0]!,
    // The indexed segment is passed, the last is always kept: the two between are the indexer's.
    heldByIndexer: { segments: 2, bytes: ends[2]! - ends[0]! },
  });
});

test('a stalled indexer leaves the log whole: its unread events are pending, not missing', async ({ dir }) => {
  await appendPastIndexer(dir, 3);
  const report = await checkLog(dir);
  assert.ok(report.journal.heldByIndexer.segments > 0);
  assert.is(report.whole, true);
  assert.is(report.findings.pendingIndex.count, 9);
});

test.run();
