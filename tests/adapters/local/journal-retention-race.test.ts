// Journal retention across processes: another process's checkpoint may delete journal segments while this process's
// checkpoint is reading them. The durable marker then says every line of a deleted segment was materialized, so the
// checkpoint goes on from the oldest kept segment: nothing is lost or stored twice, and no error escapes.

import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { IngestJournal } from '../../../adapters/local/ingest-journal.ts';
import { segmentStart } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { JournalSegmentDeletedError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { startLogThread } from './fixtures/log-thread-client.ts';

/** About two appends of three events: every append past the first starts a new segment. */
const SEGMENT_BYTES = 1_000;
const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => depositNo(from + i));
const idsOf = (events: readonly DomainEvent[]) => events.map(eventId).sort();
const segmentCount = (dir: string) => readdirSync(dataDirLayout(dir).journalDir).filter((n) => segmentStart(n) !== undefined).length;

/**
 * Run `during` right before the `nth` journal read of this thread (its one FsEventLog; the other log has its own
 * module in its worker), and keep what each read threw. `restore` puts the real read back.
 */
function beforeRead(nth: number, during: () => void): { readonly errors: unknown[]; restore(): void } {
  const read = IngestJournal.prototype.read;
  const errors: unknown[] = [];
  let calls = 0;
  IngestJournal.prototype.read = function (this: IngestJournal, ...args: Parameters<IngestJournal['read']>) {
    if (++calls === nth) during();
    try {
      return read.apply(this, args);
    } catch (error) {
      errors.push(error);
      throw error;
    }
  };
  return { errors, restore: () => (IngestJournal.prototype.read = read) };
}

/** Every event identity in the log's objects, one per line found, sorted: a lost or doubled event shows. */
async function storedIds(log: FsEventLog): Promise<string[]> {
  const ids: string[] = [];
  for await (const object of log.list('events/')) {
    for await (const { event } of log.readObject(object.key)) ids.push(eventId(event));
  }
  return ids.sort();
}

/** Two logs on one data dir: `a` here, `b` in a worker thread whose reader allows deleting what it materialized. */
async function twoLogs() {
  const dir = tempDir();
  const a = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: SEGMENT_BYTES });
  const b = startLogThread(dir, SEGMENT_BYTES);
  return { dir, a, b, close: async () => { await b.close(); await a.close(); } };
}

const test = suite('journal retention race');

test('segments another log deleted while this checkpoint was reading are skipped: every event stored once, no error', async () => {
  const { dir, a, b, close } = await twoLogs();
  await a.append(range(0, 3)); // its own append: a checkpoint need not read it back
  for (let i = 1; i < 5; i++) b.append(range(i * 3, i * 3 + 3)); // lines A's checkpoint has to read, a segment each
  assert.ok(segmentCount(dir) >= 4, `${segmentCount(dir)} segments`);
  // A reads B's first segment; before its next read, B materializes everything and deletes all but the last segment.
  const reads = beforeRead(2, () => {
    b.checkpoint();
    assert.is(segmentCount(dir), 1);
  });
  try {
    const report = await a.checkpoint();
    assert.is(report.materialized, await a.journalEnd());
  } finally {
    reads.restore();
  }
  assert.ok(reads.errors.some((e) => e instanceof JournalSegmentDeletedError), 'the checkpoint met a deleted segment');
  assert.equal(await storedIds(a), idsOf(range(0, 15)));
  await close(); // A's closing checkpoint starts past the deleted segments: no error either
});

test('a batch object a page ended inside is kept whole when the rest of its segment is deleted meanwhile', async () => {
  const { a, b, close } = await twoLogs();
  const big = range(0, 5_100); // one hour, one append: one batch object of more lines than a checkpoint reads a page
  b.append(big);
  // A's first page ends inside the object; before A reads on, B appends (into a new segment), materializes everything
  // and deletes the segment holding the object.
  const reads = beforeRead(2, () => {
    b.append(range(5_100, 5_101));
    b.checkpoint();
  });
  try {
    await a.checkpoint();
  } finally {
    reads.restore();
  }
  assert.ok(reads.errors.some((e) => e instanceof JournalSegmentDeletedError), 'the checkpoint met a deleted segment');
  assert.equal(await storedIds(a), idsOf(range(0, 5_101)));
  await close();
});

test.run();
