// repairCatalogue: the identity catalogue rebuilt from index.db, in place, so a data dir whose catalogue was lost after
// journal segments were deleted appends again, with duplicates and conflicts found as before.

import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { journalOffsetOf, repairCatalogue } from '../../../adapters/local/catalogue-repair.ts';
import { FsEventLog, type FsEventLogOptions } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { checkLog, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { catalogueKey } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { batchObjectKey } from '../../../domain/batch-objects.ts';
import { EventConflictError, InvalidArgumentError, JournalSegmentDeletedError, StorageError } from '../../../domain/errors.ts';
import { eventId, partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { rejects } from '../../support/async.ts';
import { healthyDataDir, withDb } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
const otherBytes = (event: DomainEvent) => ({ ...event, Reference: 'other bytes' }) as DomainEvent;
/** A copy of one healthy data dir (archived, compacted and hot events) per test that needs it. */
const healthyCopy = fixtureCopies(healthyDataDir);
const catalogueFile = (dir: string) => dataDirLayout(dir).logCatalogue;
/** Remove catalogue.db with its -wal and -shm, as an operator losing it would. */
const loseCatalogue = (dir: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${catalogueFile(dir)}${suffix}`, { force: true });
};
/** The catalogue's rows, key order. */
const identities = (dir: string) => withDb(catalogueFile(dir), (db) => db.prepare('SELECT key, journal_offset FROM identities ORDER BY key').all());
const catalogueFindings = (report: LogCheckReport) => (['indexOnly', 'catalogueOnly', 'pendingIndex'] as const).filter((k) => report.findings[k].count > 0);

/** A log with its indexer wired as openLocalEventlake wires them: the indexer's checkpoint is the journal's reader. */
async function openIndexed(dir: string, options: FsEventLogOptions = {}) {
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalReaders: () => index.cursor(INDEXER_CURSOR), journalSegmentBytes: 300, ...options });
  const indexer = new LocalIndexer({ log, index });
  return { log, index, indexer, close: async () => { await log.close(); index.close(); } };
}

/**
 * A data dir of events 1..8, one append each, indexed, whose first journal segments were deleted; then its catalogue
 * is lost. Returns the first results (their locations).
 */
async function lostAfterSegmentsDeleted(dir: string, compact = false) {
  const { log, index, indexer, close } = await openIndexed(dir);
  const stored = [];
  for (let i = 1; i <= 8; i++) stored.push(...await log.append([depositNo(i)]));
  await indexer.catchUp();
  if (compact) await compactHour({ log, index }, partitionPrefix(depositNo(1).EventTimeStamp));
  await log.checkpoint();
  await rejects(() => log.journalSince(0), JournalSegmentDeletedError); // the first segments are gone
  await close();
  loseCatalogue(dir);
  return stored;
}

const test = suite('repairCatalogue');

test('a catalogue lost after journal segments were deleted stops appends, and the error names the repair', async () => {
  const dir = tempDir();
  await lostAfterSegmentsDeleted(dir);
  const error = await rejects(() => FsEventLog.open(dir, { checkpointEvery: 0 }), JournalSegmentDeletedError);
  assert.is(error.code, 'JOURNAL_SEGMENT_DELETED');
  assert.match(error.message, 'run `eventlake repair catalogue`');
});

test('after the repair the log appends again: an old event is a duplicate at its batch object, other bytes a conflict', async () => {
  const dir = tempDir();
  const stored = await lostAfterSegmentsDeleted(dir);
  const report = repairCatalogue(dir);
  assert.equal([report.created, report.identitiesBefore, report.identitiesAfter, report.added, report.removed], [true, 0, 8, 8, 0]);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const again = await log.append([depositNo(1), depositNo(8)]);
  assert.equal(again.map((r) => [r.status, r.location]), [['duplicate', stored[0]!.location], ['duplicate', stored[7]!.location]]);
  await rejects(() => log.append([otherBytes(depositNo(1))]), EventConflictError);
  assert.equal((await log.append([depositNo(9)])).map((r) => r.status), ['stored']);
  await log.close();
});

test('an event compacted into its hour segment is found there after the repair: duplicate, or conflict', async () => {
  const dir = tempDir();
  await lostAfterSegmentsDeleted(dir, true);
  repairCatalogue(dir);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [again] = await log.append([depositNo(2)]);
  assert.is(again!.status, 'duplicate');
  assert.match(again!.location.key, /\/segment\.ndjson$/);
  await rejects(() => log.append([otherBytes(depositNo(2))]), EventConflictError);
  await log.close();
});


test('after the repair a RequestId reused in another hour is a conflict naming the compacted segment that holds it', async () => {
  const dir = tempDir();
  await lostAfterSegmentsDeleted(dir, true);
  repairCatalogue(dir);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const later = { ...depositNo(2), EventTimeStamp: depositNo(2).EventTimeStamp + 7200 };
  const error = await rejects(() => log.append([later]), EventConflictError);
  assert.match(error.key, /\/segment\.ndjson$/);
  await log.close();
});
test('journal lines past the indexer\'s cursor (not indexed yet) are recorded from the journal, kept by retention', async () => {
  const dir = tempDir();
  const { log, indexer, close } = await openIndexed(dir);
  for (let i = 1; i <= 8; i++) await log.append([depositNo(i)]);
  await indexer.catchUp();
  await log.checkpoint();
  const pending = await log.append([depositNo(20), depositNo(21)]); // journaled, not indexed
  await log.checkpoint();
  const indexed = await indexer.offset();
  await close();
  loseCatalogue(dir);
  const report = repairCatalogue(dir);
  assert.is(report.indexerCursor, indexed);
  assert.ok(report.cursorAfter > indexed, `${report.cursorAfter} > ${indexed}`);
  assert.is(report.identitiesAfter, 10);
  const reopened = await FsEventLog.open(dir, { checkpointEvery: 0 });
  assert.is(report.cursorAfter, await reopened.journalEnd());
  assert.equal((await reopened.append([depositNo(21)])).map((r) => [r.status, r.location]), [['duplicate', pending[1]!.location]]);
  await rejects(() => reopened.append([otherBytes(depositNo(20))]), EventConflictError);
  await reopened.close();
});

test('a catalogue with extra and missing identities is made equal to the index, and check finds no difference', async () => {
  const dir = await healthyCopy();
  const [stray] = generateEvents({ accounts: 1, days: 1, eventsPerDay: 1, start: Date.UTC(2024, 0, 7, 5) / 1000, seed: 98 });
  const missing = withDb(catalogueFile(dir), (db) => {
    db.prepare('INSERT INTO identities VALUES (?, 0)').run(catalogueKey(eventId(stray!), stray!.EventTimeStamp));
    const row = db.prepare('SELECT key FROM identities LIMIT 1').get() as { key: string };
    db.prepare('DELETE FROM identities WHERE key = ?').run(row.key);
    return row.key;
  });
  assert.equal(catalogueFindings(await checkLog(dir)), ['indexOnly', 'catalogueOnly']);
  const report = repairCatalogue(dir);
  assert.equal([report.created, report.added, report.removed, report.identitiesAfter - report.identitiesBefore], [false, 1, 1, 0]);
  assert.ok(identities(dir).some((r) => (r as { key: string }).key === missing));
  const check = await checkLog(dir);
  assert.equal(catalogueFindings(check), []);
  assert.ok(check.whole);
  assert.is(check.checked.catalogueIdentities, check.checked.indexRows);
});

test('after the repair archived, compacted and hot events are still duplicates when sent again', async () => {
  const dir = await healthyCopy();
  const keys = withDb(dataDirLayout(dir).indexDb, (db) => db.prepare(`SELECT (SELECT id FROM events WHERE storage_class = 'GLACIER' LIMIT 1) AS archived,
    (SELECT id FROM events WHERE object_key LIKE '%/segment.ndjson' AND storage_class = 'STANDARD' LIMIT 1) AS compacted,
    (SELECT id FROM events WHERE object_key LIKE '%/batch-%' LIMIT 1) AS hot`).get()) as Record<string, string>;
  const events = generateEvents({ accounts: 5, days: 2, eventsPerDay: 30, start: Date.UTC(2024, 0, 1) / 1000, seed: 1 })
    .concat(generateEvents({ accounts: 5, days: 1, eventsPerDay: 120, start: Date.UTC(2024, 0, 7) / 1000, seed: 2 }));
  const pick = Object.values(keys).map((id) => events.find((e) => eventId(e) === id)!);
  assert.is(pick.length, 3);
  repairCatalogue(dir);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0 });
  assert.equal((await log.append(pick)).map((r) => r.status), ['duplicate', 'duplicate', 'duplicate']);
  for (const event of pick) await rejects(() => log.append([otherBytes(event)]), EventConflictError);
  await log.close();
});

test('the repair is idempotent: run again it adds and removes nothing and leaves the same rows', async () => {
  const dir = await healthyCopy();
  const first = repairCatalogue(dir);
  const rows = identities(dir);
  const second = repairCatalogue(dir);
  assert.equal([second.added, second.removed, second.identitiesBefore, second.identitiesAfter], [0, 0, first.identitiesAfter, first.identitiesAfter]);
  assert.is(second.cursorAfter, first.cursorAfter);
  assert.equal(identities(dir), rows);
});

test('a path that is not a data dir (no folder, or no index.db) is refused and nothing is created', () => {
  const missing = join(tempDir(), 'nothing-here');
  assert.throws(() => repairCatalogue(missing), (e: Error) => e instanceof InvalidArgumentError && /dataDir: .*nothing-here is not a folder/.test(e.message));
  assert.not.ok(existsSync(missing));
  const empty = tempDir();
  assert.throws(() => repairCatalogue(empty), (e: Error) => e instanceof InvalidArgumentError && /has no index\.db/.test(e.message));
  assert.equal(readdirSync(empty), []);
});

test('a catalogue SQLite cannot open is refused and left as it is; moved aside, the repair creates a new one', async () => {
  const dir = await healthyCopy();
  const file = catalogueFile(dir);
  writeFileSync(file, 'this is not a database, but it is long enough to be read as a header of one'.repeat(20));
  const bytes = readFileSync(file);
  assert.throws(() => repairCatalogue(dir), (e: Error) => e instanceof StorageError && /logCatalogue: .*Move it aside .*run eventlake repair catalogue again/.test(e.message));
  assert.equal(readFileSync(file), bytes);
  renameSync(file, `${file}.damaged`);
  const report = repairCatalogue(dir);
  assert.ok(report.created && report.identitiesAfter > 0);
  assert.equal(catalogueFindings(await checkLog(dir)), []);
});

test('an index.db SQLite cannot read is refused without sending the user to move the catalogue aside', async () => {
  const dir = await healthyCopy();
  const rows = identities(dir);
  writeFileSync(dataDirLayout(dir).indexDb, 'this is not a database either, and long enough for a header'.repeat(20));
  assert.throws(() => repairCatalogue(dir), (e: Error) => e instanceof StorageError && /^indexDb: .*eventlake repair index.*restore it from a backup/.test(e.message) && !/Move it aside/.test(e.message));
  assert.equal(identities(dir), rows);
});

test('an identity\'s journal offset is its batch object\'s (from the name), below every journal start otherwise', () => {
  const hour = partitionPrefix(depositNo(1).EventTimeStamp);
  assert.is(journalOffsetOf(batchObjectKey(hour, 4096)), 4096);
  assert.is(journalOffsetOf(batchObjectKey(hour, 0)), 0);
  assert.is(journalOffsetOf(`${hour}segment.ndjson`), -1);
  assert.is(journalOffsetOf(null), -1);
});

test.run();
