// LocalIndexer's `stop`: asked between journal pages, it ends a catch-up that would otherwise follow another process's
// appends for as long as they come (close() waits for the catch-up in flight). The pages indexed stay indexed, their
// offset stored, and the next catch-up goes on from it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const PAGE = 10;
const deposit = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** A data dir whose journal holds `events` deposits, not yet indexed, and its log and index. */
async function journalOf(events: number): Promise<{ log: FsEventLog; index: SqliteEventIndex }> {
  const dir = tempDir('eventlake-indexer-stop-');
  const log = await FsEventLog.open(dir);
  await log.append(Array.from({ length: events }, (_, i) => deposit(i)));
  return { log, index: new SqliteEventIndex(dataDirLayout(dir).indexDb) };
}

const test = suite('LocalIndexer: a catch-up told to stop');

test('indexes its first page, stores that page\'s offset, and stops before the next', async () => {
  const { log, index } = await journalOf(3 * PAGE);
  const indexer = new LocalIndexer({ log, index, batch: PAGE, stop: () => true });
  const report = await indexer.catchUp();
  assert.equal({ indexed: report.indexed, stopped: report.stopped }, { indexed: PAGE, stopped: true });
  assert.is(await index.count(), PAGE);
  assert.is(await indexer.offset(), report.offset);
});

test('ends caught up, not stopped, when its first page was the journal\'s last', async () => {
  const { log, index } = await journalOf(PAGE - 1);
  const report = await new LocalIndexer({ log, index, batch: PAGE, stop: () => true }).catchUp();
  assert.equal(report, { indexed: PAGE - 1, offset: await log.journalEnd() });
});

test('the next catch-up indexes the rest of the journal from the offset a stopped one stored', async () => {
  const { log, index } = await journalOf(3 * PAGE);
  await new LocalIndexer({ log, index, batch: PAGE, stop: () => true }).catchUp();
  const report = await new LocalIndexer({ log, index, batch: PAGE }).catchUp();
  assert.equal(report, { indexed: 2 * PAGE, offset: await log.journalEnd() });
  assert.is(await index.count(), 3 * PAGE);
});

test.run();
