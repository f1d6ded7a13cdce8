// The catalogue's catch-up: identities an append journaled but could not record (it failed, or its process died,
// between the journal fsync and the catalogue commit) are recorded by the next appender, as stored where any append's
// identities are, so sending them again is a duplicate, also after their journal segment is deleted.

import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { segmentStart } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const segmentsOf = (dir: string) => readdirSync(dataDirLayout(dir).journalDir).filter((n) => segmentStart(n) !== undefined);

class InjectedFailure extends Error {}

const test = suite('catalogue catch-up');

test('an identity recorded by catch-up is a duplicate at its object once its journal segment is deleted', async () => {
  const dir = tempDir();
  let fail = true;
  // Segments of about one append, and a reader that has read everything: checkpoints delete old segments.
  const log = await FsEventLog.open(dir, {
    checkpointEvery: 0, journalSegmentBytes: 600, journalReaders: () => Number.MAX_SAFE_INTEGER,
    afterJournal: () => {
      if (fail) throw new InjectedFailure('the append fails after its journal fsync');
    },
  });
  try {
    await rejects(() => log.append([depositNo(0), depositNo(1)]), InjectedFailure);
    fail = false;
    for (let n = 2; n < 5; n++) await log.append([depositNo(n)]); // the next appender records 0 and 1 from the journal
    await log.checkpoint();
    assert.not.ok(segmentsOf(dir).includes('ingest.log'), `the segment holding 0 and 1 is deleted: ${segmentsOf(dir)}`);
    const [again] = await log.append([depositNo(1)]);
    assert.is(again!.status, 'duplicate');
    assert.is(serializeEvent(await log.read(again!.location)), serializeEvent(depositNo(1)));
  } finally {
    await log.close();
  }
});

test.run();
