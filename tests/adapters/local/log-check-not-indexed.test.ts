// checkLog's report counts the events durable in the journal that index.db does not hold yet (journalNotIndexed), as
// `eventlake status` and `check` do: a library user reading the report learns of them too, and 0 once indexed.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { fixtureCopiesOf } from '../../support/fixture-copies.ts';
import { killedAppendDataDir } from '../../support/killed-append-data-dir.ts';

const test = suite('checkLog: events journaled, not yet indexed');
const killed = fixtureCopiesOf(() => killedAppendDataDir(3, 2));

test('events durable in the journal past the indexer\'s cursor are counted, and the log stays whole', async () => {
  const { dir } = await killed();
  const report = await checkLog(dir);
  assert.is(report.journalNotIndexed.events, 2);
  assert.is(report.journalNotIndexed.indexerCursor, report.journal.indexerCursor);
  assert.ok(report.journalNotIndexed.journalEnd > report.journalNotIndexed.indexerCursor);
  assert.ok(report.whole, JSON.stringify(report.findings));
});

test('once an open indexed them, none are counted', async () => {
  const { dir } = await killed();
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await local.lake.balances('balances'); // a read catches up: recovery records the killed append and indexes it
  } finally {
    await local.close();
  }
  const report = await checkLog(dir);
  assert.equal([report.journalNotIndexed.events, report.checked.indexRows], [0, 5]);
});

test.run();
