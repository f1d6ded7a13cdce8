// The bounded ingest journal: segment files with growing logical offsets, rotation past a size, and deletion of a
// segment only once its events are materialized and every reader (the LocalIndexer's checkpoint) has passed it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, readdirSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventConflictError, JournalSegmentDeletedError } from '../../../domain/errors.ts';
import { eventId, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { FsEventLog, type FsEventLogOptions } from '../../../adapters/local/fs-event-log.ts';
import { IngestJournal } from '../../../adapters/local/ingest-journal.ts';
import { releaseSegments } from '../../../adapters/local/journal-retention.ts';
import { segmentName, segmentStart } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { rejects } from '../../support/async.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { release, startChild } from './fixtures/children.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => depositNo(from + i));
/** Segment files of a data dir, oldest first. */
const segmentFiles = (dir: string) => readdirSync(dataDirLayout(dir).journalDir).filter((n) => segmentStart(n) !== undefined).sort((a, b) => segmentStart(a)! - segmentStart(b)!);
const segmentBytes = (dir: string) => segmentFiles(dir).reduce((sum, n) => sum + statSync(join(dataDirLayout(dir).journalDir, n)).size, 0);

/** A log with its indexer wired as openLocalEventlake wires them: the indexer's checkpoint is the journal's reader. */
async function openIndexed(dir: string, options: FsEventLogOptions = {}) {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalReaders: () => index.cursor(INDEXER_CURSOR), ...options });
  const indexer = new LocalIndexer({ log, index, batch: 7 });
  return { log, index, indexer, close: async () => { await log.close(); index.close(); } };
}

/** Every id journalSince returns from `offset` to the end. */
async function idsSince(log: FsEventLog, offset: number): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { entries, next } = await log.journalSince(offset, 5);
    ids.push(...entries.map((e) => e.id));
    if (next === offset) return ids;
    offset = next;
  }
}

const test = suite('journal segments');

test('an append past the segment size starts a new segment named by its logical start; offsets keep growing', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 1_000 });
  const ends: number[] = [];
  for (let i = 0; i < 6; i++) {
    await log.append(range(i * 3, i * 3 + 3));
    ends.push(await log.journalEnd());
  }
  const files = segmentFiles(dir);
  assert.ok(files.length > 2, files.join());
  assert.is(files[0], 'ingest.log'); // the segment at 0 keeps the journal's old name
  // Each later segment starts exactly where the journal ended when it was created, i.e. at an earlier append's end.
  for (const name of files.slice(1)) assert.ok(ends.includes(Number(/\d+/.exec(name)![0])), name);
  assert.is(segmentBytes(dir), ends.at(-1));
  assert.equal(await idsSince(log, 0), range(0, 18).map(eventId));
  await log.close();
});

test('a segment is deleted only once its events are materialized durably and the reader has passed it', async () => {
  const dir = tempDir();
  const layout = dataDirLayout(dir);
  const journal = new IngestJournal(layout, 100);
  journal.open();
  const catalogue = new SqliteLogCatalogue(layout.logCatalogue);
  const record = (n: number) => [{ key: `k${n}`, content: serializeEvent(depositNo(n)) }];
  let end = 0;
  for (let n = 0; n < 4; n++) end = catalogue.locked(() => { const e = journal.append(record(n), catalogue.catchUp(journal)); catalogue.setCursor(e); return e; });
  const second = journal.segmentStarts()[1]!;
  assert.is(await releaseSegments(journal, catalogue, () => end), 0, 'nothing materialized yet');
  journal.publishMaterialized(end);
  assert.is(await releaseSegments(journal, catalogue, () => second - 1), 0, 'the reader is still inside the first segment');
  assert.is(await releaseSegments(journal, catalogue, () => second), 1, 'both have passed the first segment');
  assert.is(journal.start(), second);
  assert.is(journal.segmentStarts().length, 3, 'each append of more than 100 bytes filled a segment');
  assert.is(await releaseSegments(journal, catalogue, () => end), 2);
  assert.equal(journal.segmentStarts().length, 1, 'the segment being written always stays');
  journal.close();
  catalogue.close();
});

test('a reader lagging behind keeps its segment; once it caught up the segment goes and its offset is a typed error', async () => {
  const dir = tempDir();
  const { log, indexer, index, close } = await openIndexed(dir, { journalSegmentBytes: 3_000 }); // ~3 appends a segment
  await log.append(range(0, 3));
  await indexer.catchUp();
  const lagging = await indexer.offset();
  for (let i = 1; i < 6; i++) await log.append(range(i * 3, i * 3 + 3));
  await log.checkpoint();
  assert.is(segmentFiles(dir)[0], 'ingest.log', 'the indexer has not passed the first segment');
  assert.equal(await idsSince(log, lagging), range(3, 18).map(eventId));
  assert.equal((await indexer.catchUp()).indexed, 15);
  await log.checkpoint();
  assert.equal(segmentFiles(dir).length, 1);
  const error = await rejects(() => log.journalSince(0), JournalSegmentDeletedError);
  assert.is(error.code, 'JOURNAL_SEGMENT_DELETED');
  assert.match(error.message, /journalReaders/);
  assert.is((await index.afterPosition(-1, 100)).entries.length, 18);
  await close();
});

test('a log given no reader never deletes a segment', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 1, journalSegmentBytes: 500 });
  for (let i = 0; i < 5; i++) await log.append(range(i * 2, i * 2 + 2));
  await log.checkpoint();
  assert.is(segmentFiles(dir)[0], 'ingest.log');
  assert.equal(await idsSince(log, 0), range(0, 10).map(eventId));
  await log.close();
});

test('recovery after a crash between creating a new segment and its first write: the empty segment is the end', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  await log.append(range(0, 3));
  const end = await log.journalEnd();
  await log.close();
  writeFileSync(join(dataDirLayout(dir).journalDir, segmentName(end)), ''); // what rotation leaves before its write
  const reopened = await FsEventLog.open(dir, { checkpointEvery: 0 });
  assert.is(await reopened.journalEnd(), end);
  const results = await reopened.append([...range(2, 5)]);
  assert.equal(results.map((r) => r.status), ['duplicate', 'stored', 'stored']);
  assert.equal(await idsSince(reopened, 0), range(0, 5).map(eventId));
  assert.is(statSync(join(dataDirLayout(dir).journalDir, segmentName(end))).size, (await reopened.journalEnd()) - end);
  await reopened.close();
});

test('a line torn by a crash at the end of a segment that was then rotated away is skipped', async () => {
  const dir = tempDir();
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 10 });
  await log.append(range(0, 2));
  await log.close();
  appendFileSync(dataDirLayout(dir).ingestJournal, 'events/year=2009/month=02/day=13/hour=23/batch-1.ndjson#0:9\t{"Amo');
  const reopened = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 10 });
  await reopened.append(range(2, 4)); // rotates: the new segment starts after the torn bytes
  assert.equal(segmentFiles(dir).length, 2);
  assert.equal(await idsSince(reopened, 0), range(0, 4).map(eventId));
  await reopened.close();
});

test('a segment that ends short of the next one\'s start (a power cut took an unacknowledged tail) reads up to that start', () => {
  const layout = dataDirLayout(tempDir());
  const journal = new IngestJournal(layout, 10);
  const records = (from: number) => [0, 1].map((n) => ({ key: `k${from + n}`, content: serializeEvent(depositNo(from + n)) }));
  const first = journal.append(records(0));
  journal.append(records(2)); // the first segment is full: this starts the next one at `first`
  truncateSync(layout.ingestJournal, first - 5);
  const read = journal.read(0);
  assert.equal([read.lines.map((l) => l.key), read.next], [['k0'], first]);
  assert.equal(journal.read(first).lines.map((l) => l.key), ['k2', 'k3']);
  journal.close();
});

test('recovery after a crash part way through deleting segments: what is left reads, and the next checkpoint finishes', async () => {
  const dir = tempDir();
  const plain = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 600 });
  for (let i = 0; i < 6; i++) await plain.append(range(i * 3, i * 3 + 3));
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  await new LocalIndexer({ log: plain, index }).catchUp();
  await plain.close();
  index.close();
  const files = segmentFiles(dir);
  assert.ok(files.length >= 3, files.join());
  unlinkSync(join(dataDirLayout(dir).journalDir, files[0]!)); // deletion unlinks oldest first: a crash after one unlink
  const { log, indexer, close } = await openIndexed(dir, { journalSegmentBytes: 600 });
  const second = segmentStart(files[1]!)!;
  assert.ok((await idsSince(log, second)).length > 0);
  await rejects(() => log.journalSince(0), JournalSegmentDeletedError);
  assert.is((await log.append(range(0, 1)))[0]!.status, 'duplicate', 'identities of the deleted segment are still known');
  await indexer.catchUp();
  await log.checkpoint();
  assert.equal(segmentFiles(dir).length, 1);
  await close();
});

test('an indexer whose segment another process indexed and deleted mid-run goes on from the shared cursor', async () => {
  const dir = tempDir();
  const a = await openIndexed(dir, { journalSegmentBytes: 600 });
  const b = await openIndexed(dir, { journalSegmentBytes: 600 });
  for (let i = 0; i < 6; i++) await a.log.append(range(i * 3, i * 3 + 3));
  let raced = false;
  const racing = {
    journalSince: async (offset: number, limit?: number) => {
      if (!raced) {
        raced = true; // between A reading its cursor and its first page, B indexes everything and drops the segments
        await b.indexer.catchUp();
        await b.log.checkpoint();
        assert.is(segmentFiles(dir).length, 1);
      }
      return a.log.journalSince(offset, limit);
    },
  };
  const report = await new LocalIndexer({ log: racing, index: a.index }).catchUp();
  assert.equal(report, { indexed: 0, offset: await a.log.journalEnd() });
  await a.close();
  await b.close();
});

test('an event sent again after its journal segment was deleted is still a duplicate, or a conflict with other bytes', async () => {
  const dir = tempDir();
  const { log, indexer, close } = await openIndexed(dir, { journalSegmentBytes: 300 });
  const [first] = await log.append([depositNo(1)]);
  const moved = await log.append([depositNo(2)]);
  for (let i = 3; i < 9; i++) await log.append([depositNo(i)]);
  // Compaction moves an event into its hour's segment object and removes its batch object.
  const { locations } = await log.writeSegment(moved[0]!.key.replace(/batch-\d+/, 'segment'), [serializeEvent(depositNo(2))]);
  await log.remove([moved[0]!.key]);
  await indexer.catchUp();
  await log.checkpoint();
  await rejects(() => log.journalSince(0), JournalSegmentDeletedError);
  const again = await log.append([depositNo(1), depositNo(2)]);
  assert.equal(again.map((r) => [r.status, r.location]), [['duplicate', first!.location], ['duplicate', locations[0]]]);
  await rejects(() => log.append([{ ...depositNo(1), Reference: 'other bytes' } as DomainEvent]), EventConflictError);
  await close();
});

test('a data dir with the single journal/ingest.log of older versions opens, reads, rotates and later drops it', async () => {
  const dir = tempDir();
  const old = await FsEventLog.open(dir); // writes journal/ingest.log only, exactly as before segments
  await old.append(range(0, 5));
  await old.close();
  assert.equal(segmentFiles(dir), ['ingest.log']);
  const { log, indexer, close } = await openIndexed(dir, { journalSegmentBytes: 100 });
  assert.equal(await idsSince(log, 0), range(0, 5).map(eventId));
  await log.append(range(5, 8));
  assert.is(segmentFiles(dir).length, 2);
  assert.equal(await idsSince(log, 0), range(0, 8).map(eventId));
  await indexer.catchUp();
  await log.checkpoint();
  assert.not.ok(segmentFiles(dir).includes('ingest.log'));
  await close();
});

test('disk usage stays bounded over many appends while the indexer keeps up', async () => {
  const dir = tempDir();
  const size = 4_096;
  const { log, indexer, close } = await openIndexed(dir, { journalSegmentBytes: size });
  let largest = 0;
  for (let i = 0; i < 150; i++) {
    await log.append(range(i * 4, i * 4 + 4));
    await indexer.catchUp();
    // What the background checkpoint does every `checkpointEvery` events (this loop never lets it run: no I/O waits).
    if (i % 5 === 4) await log.checkpoint();
    largest = Math.max(largest, segmentBytes(dir));
  }
  await log.checkpoint();
  const total = await log.journalEnd();
  assert.ok(total > 40 * size, `journaled ${total} bytes`);
  // A checkpoint every 20 events (~8 KB) deletes what the indexer passed: at most a few segments are ever kept.
  assert.ok(largest < 6 * size, `journal peaked at ${largest} bytes`);
  assert.ok(segmentBytes(dir) <= 2 * size, `journal ends at ${segmentBytes(dir)} bytes`);
  await close();
});

test('processes appending at once with a tiny segment size rotate under the lock: every event once, offsets contiguous', async () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  const lists = [range(0, 40), range(20, 60)];
  const children = lists.map((events, i) => {
    const file = join(dir, `events-${i}.json`);
    writeFileSync(file, JSON.stringify(events));
    return startChild('append-child.ts', [data, file, '700']);
  });
  await Promise.all(children.map((c) => c.ready));
  release(children);
  await Promise.all(children.map((c) => c.done));
  const files = segmentFiles(data);
  assert.ok(files.length > 3, files.join());
  const journalDir = dataDirLayout(data).journalDir;
  let at = 0;
  for (const name of files) {
    assert.is(name, segmentName(at)); // each segment starts where the one before it ends
    at += statSync(join(journalDir, name)).size;
  }
  const log = await FsEventLog.open(data);
  assert.equal((await idsSince(log, 0)).sort(), range(0, 60).map(eventId).sort());
  await log.close();
});

test.run();
