// checkLog after a crash in the middle of indexing one append: the indexer commits pages of lines, so its cursor can
// stop inside an append. The rest of that append waits in the journal (pending, harmless: the next open indexes it),
// not lost: compared with the cursor alone, those identities read as catalogueOnly and unindexedLine, "not whole".

import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { healthyDataDir } from '../../support/check-data-dir.ts';
import { appendPastIndexer } from '../../support/stalled-indexer.ts';

const test = suite('checkLog: a crash mid-way through indexing an append');

/** Index one journal line past the cursor, then "crash": the cursor stops inside the three-event append. */
async function indexOneLineThenCrash(dir: string): Promise<void> {
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  let pages = 0;
  const crashing = { journalSince: (offset: number, limit?: number) => {
    if (pages++ > 0) throw new Error('crash');
    return log.journalSince(offset, limit);
  } };
  try {
    await new LocalIndexer({ log: crashing, index, batch: 1 }).catchUp().catch(() => undefined);
  } finally {
    index.close();
    await log.close();
  }
}

test('the rest of an append the indexer stopped inside is pending, and the log whole', async () => {
  const dir = await healthyDataDir();
  await appendPastIndexer(dir, 1);
  await indexOneLineThenCrash(dir);
  const report = await checkLog(dir);
  assert.is(report.findings.catalogueOnly.count, 0, report.findings.catalogueOnly.examples.join('\n'));
  assert.is(report.findings.unindexedLine.count, 0, report.findings.unindexedLine.examples.join('\n'));
  assert.is(report.findings.pendingIndex.count, 2);
  assert.is(report.whole, true);
});

test('once the journal is indexed to its end, an identity the index lost is catalogueOnly again, not pending', async () => {
  const dir = await healthyDataDir();
  await appendPastIndexer(dir, 1);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  try {
    await new LocalIndexer({ log, index }).catchUp();
  } finally {
    index.close();
    await log.close();
  }
  const db = new Database(dataDirLayout(dir).indexDb);
  try {
    assert.is(db.prepare('DELETE FROM events WHERE id = ?').run('cash_deposit_00000000-0000-4000-8000-000000000002').changes, 1);
  } finally {
    db.close();
  }
  const report = await checkLog(dir);
  assert.is(report.findings.catalogueOnly.count, 1);
  assert.is(report.findings.pendingIndex.count, 0);
  assert.is(report.whole, false);
});

test.run();
