// A client re-sending a whole stored batch (a retry after a timeout) gets every event back as a duplicate at its
// stored location, and the check reads the stored append once, not once per event: it runs under the catalogue
// lock every other appender of the data dir waits on.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { IngestJournal } from '../../../adapters/local/ingest-journal.ts';
import { serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('re-sent batches');

const batchOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}` }) as DomainEvent);

/** Journal reads made while `fn` runs. */
async function journalReadsDuring(fn: () => Promise<unknown>): Promise<number> {
  const read = IngestJournal.prototype.read;
  let calls = 0;
  IngestJournal.prototype.read = function (this: IngestJournal, ...args: Parameters<IngestJournal['read']>) {
    calls++;
    return read.apply(this, args);
  };
  try {
    await fn();
  } finally {
    IngestJournal.prototype.read = read;
  }
  return calls;
}

test('re-sending a stored batch of 2,500 answers every event duplicate, at its first location, reading the append once', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    const batch = batchOf(2_500);
    const first = await log.append(batch);
    let again: Awaited<ReturnType<FsEventLog['append']>> = [];
    const reads = await journalReadsDuring(async () => (again = await log.append(batch)));
    assert.ok(again.every((r) => r.status === 'duplicate'));
    assert.equal(again.map((r) => r.location), first.map((r) => r.location));
    // 2,500 lines are 3 pages of 1,000: one pass over the append (a read per duplicate was 2,500+).
    assert.ok(reads <= 4, `${reads} journal reads`);
  } finally {
    await log.close();
  }
});

test('after its journal segment is deleted, a re-sent batch is answered from its batch object, every event duplicate', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0, journalSegmentBytes: 600, journalReaders: () => Number.MAX_SAFE_INTEGER });
  try {
    const batch = batchOf(1_500);
    const first = await log.append(batch);
    for (let i = 0; i < 3; i++) await log.append(batchOf(1, 10_000 + i)); // later segments, so the first can go
    await log.checkpoint();
    await log.journalSince(0).then(() => assert.unreachable('the first segment is deleted'), (e: Error) => assert.is((e as { code?: string }).code, 'JOURNAL_SEGMENT_DELETED'));
    const again = await log.append(batch);
    assert.ok(again.every((r) => r.status === 'duplicate'));
    assert.equal(again.map((r) => r.location), first.map((r) => r.location));
    assert.is(serializeEvent(await log.read(again[1_499]!.location)), serializeEvent(batch[1_499]!));
  } finally {
    await log.close();
  }
});

test('one event of a re-sent batch with other bytes is a conflict, and nothing of the batch is written', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    const batch = batchOf(1_200);
    await log.append(batch);
    const changed = [...batch.slice(0, 1_100), { ...batch[1_100]!, Amount: '999.99' } as DomainEvent, ...batchOf(5, 50_000)];
    const end = await log.journalEnd();
    await log.append(changed).then(() => assert.unreachable('a conflict'), (e: Error) => assert.is((e as { code?: string }).code, 'EVENT_CONFLICT'));
    assert.is(await log.journalEnd(), end, 'nothing journaled');
  } finally {
    await log.close();
  }
});

test.run();
