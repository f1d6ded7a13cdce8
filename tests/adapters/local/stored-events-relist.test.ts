// StoredEvents (an append's look-up of stored identities) lists an hour's segments once per append, and again on a
// miss: compaction takes no catalogue lock, so it may write a segment and remove a batch object after the listing.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { IngestJournal } from '../../../adapters/local/ingest-journal.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { StoredEvents } from '../../../adapters/local/stored-event.ts';
import { batchSequenceOf } from '../../../domain/batch-objects.ts';
import { eventId, partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import type { AppendResult } from '../../../domain/ports/event-log.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { indexAppended } from '../../support/hour-objects.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!; // the deposit's hour
const HOUR = partitionPrefix(deposit.EventTimeStamp);

const test = suite('StoredEvents: the hour listed again on a miss');

test('an event compacted into a new segment after the append listed its hour is found in that segment', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  const append = async (e: DomainEvent): Promise<AppendResult> => {
    const results = await log.append([e]);
    await indexAppended(index, [e], results);
    return results[0]!;
  };
  try {
    const first = await append(deposit);
    await compactHour({ log, index }, HOUR); // segment.ndjson
    const second = await append(withdrawal);
    const stored = new StoredEvents(dataDirLayout(dir), new IngestJournal(dataDirLayout(dir)));
    assert.ok(stored.find(batchSequenceOf(first.key)!, eventId(deposit), HOUR)); // lists the hour: segment.ndjson
    await compactHour({ log, index }, HOUR); // segment-2.ndjson, after that listing; removes the second batch object
    const found = stored.find(batchSequenceOf(second.key)!, eventId(withdrawal), HOUR);
    assert.equal(found?.location, (await index.get(eventId(withdrawal)))!.location);
  } finally {
    index.close();
    await log.close();
  }
});

test.run();
