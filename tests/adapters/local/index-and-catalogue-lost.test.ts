// Both SQLite files of a data dir lost after the journal segments that fed them were deleted: `repair index` rebuilds
// index.db from the objects, then `repair catalogue` the identity catalogue from index.db; no backup is needed.
import { rmSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repairCatalogue } from '../../../adapters/local/catalogue-repair.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { EventConflictError, JournalSegmentDeletedError } from '../../../domain/errors.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { rejects } from '../../support/async.ts';
import { loseIndex } from '../../support/index-repair-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('index.db and catalogue.db both lost after journal segments were deleted');
const events = generateEvents({ accounts: 2, days: 1, eventsPerDay: 8, start: Date.UTC(2024, 0, 1) / 1000, seed: 4 });

/** A data dir whose events were appended one by one into 300-byte segments, indexed, and the segments deleted. */
async function segmentsDeleted(): Promise<string> {
  const dir = tempDir();
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 300, journalReaders: () => index.cursor(INDEXER_CURSOR) });
  for (const event of events) await log.append([event]);
  await new LocalIndexer({ log, index }).catchUp();
  await log.checkpoint();
  await log.close();
  index.close();
  return dir;
}

function loseCatalogue(dir: string): void {
  const { logCatalogue } = dataDirLayout(dir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${logCatalogue}${suffix}`, { force: true });
}

test('repair index, then repair catalogue, gives a whole data dir with every identity back', async () => {
  const dir = await segmentsDeleted();
  loseIndex(dir);
  loseCatalogue(dir);
  const report = await repairIndex(dir);
  assert.equal([report.eventsIndexed, report.catalogueNeedsRepair], [events.length, true]);
  assert.is(repairCatalogue(dir).identitiesAfter, events.length);
  const check = await checkLog(dir);
  assert.ok(check.whole, JSON.stringify(check));
});

test('until the catalogue is repaired too, opening the log refuses and names repair catalogue', async () => {
  const dir = await segmentsDeleted();
  loseIndex(dir);
  loseCatalogue(dir);
  await repairIndex(dir);
  const refused = await rejects(() => FsEventLog.open(dir), JournalSegmentDeletedError);
  assert.match(refused.message, /eventlake repair catalogue/);
});

test('with only index.db lost, the catalogue catches up as usual and needs no repair', async () => {
  const dir = await segmentsDeleted();
  loseIndex(dir);
  assert.is((await repairIndex(dir)).catalogueNeedsRepair, false);
});

test('after both repairs a stored event sent again is a duplicate, and other bytes under its identity a conflict', async () => {
  const dir = await segmentsDeleted();
  loseIndex(dir);
  loseCatalogue(dir);
  await repairIndex(dir);
  repairCatalogue(dir);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  try {
    const [again] = await log.append([events[3]!]);
    assert.is(again!.status, 'duplicate');
    await rejects(() => log.append([{ ...events[3]!, Amount: '999.99' }]), EventConflictError);
  } finally {
    await log.close();
  }
});

test.run();
