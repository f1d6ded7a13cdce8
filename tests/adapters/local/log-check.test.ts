// checkLog: a read-only check that the objects on disk, index.db and the identity catalogue agree; each damage is
// found and named, the data dir is never written, and a path that is not a data dir (or whose databases cannot be
// read) is refused.

import Database from 'better-sqlite3';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog, type FindingKind, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { catalogueKey } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { eventId, serializeEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { rejects } from '../../support/async.ts';
import { HOT_COMPACTED_HOUR, healthyDataDir, listing, objectFiles, withDb } from '../../support/check-data-dir.ts';
import { fixtureCopies } from '../../support/fixture-copies.ts';
import { tempDir } from '../../support/tmp.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const test = suite<{ dir: string }>('checkLog');
test.before.each(async (ctx) => {
  ctx.dir = await healthyCopy();
});

/** The categories with a non-zero count. */
function found(report: LogCheckReport): Partial<Record<FindingKind, number>> {
  return Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
}

const hotSegment = (dir: string) => join(dir, HOT_COMPACTED_HOUR, 'segment.ndjson');
const firstBatch = (dir: string) => join(dir, objectFiles(dir, 'batch-')[0]!);

test('a data dir written by eventlake, with archived, compacted and hot hours, is whole', async ({ dir }) => {
  const report = await checkLog(dir);
  assert.ok(report.whole, JSON.stringify(found(report)));
  assert.equal(found(report), {});
  assert.ok(report.checked.digestsAgree);
  assert.is(report.checked.lines, report.checked.indexRows);
  assert.is(report.checked.catalogueIdentities, report.checked.indexRows);
  assert.ok(objectFiles(dir, 'archive/GLACIER').length > 0 && objectFiles(dir, 'batch-').length > 0, 'the fixture has archived and hot objects');
});

test('the check writes nothing in the data dir: names, sizes, mtimes, modes and bytes are the same after it', async ({ dir }) => {
  const before = listing(dir);
  await checkLog(dir);
  assert.equal(listing(dir), before);
});

test('a data dir in use is read with its WAL (commits not yet in index.db) and still not written', async ({ dir }) => {
  const open = new Database(join(dir, 'index.db'));
  try {
    open.pragma('wal_autocheckpoint = 0'); // the change below stays in index.db-wal
    open.prepare('UPDATE events SET offset = offset + 1 WHERE object_key = ?').run(`${HOT_COMPACTED_HOUR}segment.ndjson`);
    const before = listing(dir);
    assert.ok(before.some((l) => l.startsWith('index.db-wal ') && !l.startsWith('index.db-wal 0 ')), 'the index has a WAL with commits');
    const report = await checkLog(dir);
    assert.ok((found(report).wrongLocation ?? 0) > 0, 'the commit in the WAL was read');
    assert.equal(listing(dir), before);
  } finally {
    open.close();
  }
});

test('a deleted batch object is a missing object, named with its events', async ({ dir }) => {
  const batch = firstBatch(dir);
  const lines = readFileSync(batch, 'utf8').split('\n').filter(Boolean).length;
  unlinkSync(batch);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { missingObject: lines });
  assert.match(report.findings.missingObject.examples[0]!, batch.slice(dir.length + 1));
});

test('a truncated object is a torn line, and the index row of that line points at no whole event', async ({ dir }) => {
  const segment = hotSegment(dir);
  const size = readFileSync(segment).length;
  truncateSync(segment, size - 5);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { tornLine: 1, wrongLocation: 1 });
  assert.match(report.findings.tornLine.examples[0]!, 'no newline');
});

test('an unparseable line in the middle of an object is a torn line', async ({ dir }) => {
  const segment = hotSegment(dir);
  const bytes = readFileSync(segment);
  bytes[1] = 0x7b; // '{{…': no longer JSON, same length
  writeFileSync(segment, bytes);
  const report = await checkLog(dir);
  assert.equal(found(report), { tornLine: 1, wrongLocation: 1 });
  assert.match(report.findings.tornLine.examples[0]!, `${HOT_COMPACTED_HOUR}segment.ndjson@0+`);
});

test('an index row pointing at the wrong offset is a wrong location naming the event found there instead', async ({ dir }) => {
  const key = `${HOT_COMPACTED_HOUR}segment.ndjson`;
  const rows = withDb(join(dir, 'index.db'), (db) => db.prepare('SELECT id, offset FROM events WHERE object_key = ? ORDER BY offset').all(key) as { id: string; offset: number }[]);
  assert.ok(rows.length >= 2, 'the hot segment has two lines');
  withDb(join(dir, 'index.db'), (db) => db.prepare('UPDATE events SET offset = ? WHERE id = ?').run(rows[1]!.offset, rows[0]!.id));
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  // The row names another event's line; its own line is then named by no row, while its identity is indexed.
  assert.equal(found(report), { wrongLocation: 1, extraCopy: 1 });
  assert.match(report.findings.wrongLocation.examples[0]!, `${rows[0]!.id} is indexed at ${key}@${rows[1]!.offset}`);
  assert.match(report.findings.wrongLocation.examples[0]!, `holds ${rows[1]!.id}`);
});

test('an index row with the wrong time is a time mismatch', async ({ dir }) => {
  withDb(join(dir, 'index.db'), (db) => db.prepare('UPDATE events SET timestamp = timestamp + 1 WHERE object_key = ?').run(`${HOT_COMPACTED_HOUR}segment.ndjson`));
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.ok((found(report).timeMismatch ?? 0) >= 2);
});

test('an object no index row names is an orphan object, its events unindexed lines', async ({ dir }) => {
  const [event] = generateEvents({ accounts: 1, days: 1, eventsPerDay: 1, start: Date.UTC(2024, 0, 7, 5) / 1000, seed: 99 });
  const orphan = join(dir, objectFiles(dir, 'day=07/hour=05/')[0]!.replace(/batch-\d+/, 'batch-9999999999999'));
  writeFileSync(orphan, `${serializeEvent(event!)}\n`);
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.equal(found(report), { orphanObject: 1, unindexedLine: 1 });
  assert.match(report.findings.unindexedLine.examples[0]!, eventId(event!));
});

test('a second copy of indexed events in an object no row names is an orphan object of extra copies', async ({ dir }) => {
  const batch = firstBatch(dir);
  copyFileSync(batch, batch.replace(/batch-\d+/, 'batch-9999999999999'));
  const lines = readFileSync(batch, 'utf8').split('\n').filter(Boolean).length;
  const report = await checkLog(dir);
  assert.equal(found(report), { orphanObject: 1, extraCopy: lines });
});

test('an identity in the catalogue but not in the index is named, found by the digests disagreeing', async ({ dir }) => {
  const [event] = generateEvents({ accounts: 1, days: 1, eventsPerDay: 1, start: Date.UTC(2024, 0, 7, 5) / 1000, seed: 98 });
  const key = catalogueKey(eventId(event!), event!.EventTimeStamp);
  withDb(join(dir, 'journal', 'catalogue.db'), (db) => db.prepare('INSERT INTO identities VALUES (?, 0)').run(key));
  const report = await checkLog(dir);
  assert.not.ok(report.whole);
  assert.not.ok(report.checked.digestsAgree);
  assert.equal(found(report), { catalogueOnly: 1 });
  assert.match(report.findings.catalogueOnly.examples[0]!, key);
});

test('an identity in the index but not in the catalogue is named', async ({ dir }) => {
  const key = withDb(join(dir, 'journal', 'catalogue.db'), (db) => {
    const row = db.prepare('SELECT key FROM identities LIMIT 1').get() as { key: string };
    db.prepare('DELETE FROM identities WHERE key = ?').run(row.key);
    return row.key;
  });
  const report = await checkLog(dir);
  assert.equal(found(report), { indexOnly: 1 });
  assert.match(report.findings.indexOnly.examples[0]!, key);
});

test('a damaged archived object is found: the local archive tier keeps its bytes readable', async ({ dir }) => {
  const archived = join(dir, objectFiles(dir, 'archive/GLACIER')[0]!);
  appendFileSync(archived, '{"torn":');
  const report = await checkLog(dir);
  assert.equal(found(report), { tornLine: 1 });
  assert.match(report.findings.tornLine.examples[0]!, 'no newline');
});

test('with readArchived false, archived objects are counted as not read and the log stays whole', async ({ dir }) => {
  appendFileSync(join(dir, objectFiles(dir, 'archive/GLACIER')[0]!), '{"torn":');
  const report = await checkLog(dir, { readArchived: false });
  assert.ok(report.whole);
  assert.equal(Object.keys(found(report)), ['archivedNotRead']);
});

test('temp files left by a crash are reported as harmless; other files are not in the layout', async ({ dir }) => {
  const hour = join(dir, HOT_COMPACTED_HOUR);
  writeFileSync(join(hour, '.tmp-4242-1-segment.ndjson'), '{"half');
  const harmless = await checkLog(dir);
  assert.ok(harmless.whole);
  assert.equal(found(harmless), { tempFile: 1 });
  writeFileSync(join(hour, 'notes.txt'), 'hello');
  mkdirSync(join(dir, 'events', 'year=2024', 'stray'));
  const stray = await checkLog(dir);
  assert.not.ok(stray.whole);
  assert.equal(found(stray), { tempFile: 1, notInLayout: 2 });
});

test('examples are limited per category (one per missing object), counts are not (one per indexed event)', async ({ dir }) => {
  for (const f of objectFiles(dir, 'batch-').slice(0, 3)) unlinkSync(join(dir, f));
  const report = await checkLog(dir, { limit: 1 });
  assert.is(report.findings.missingObject.examples.length, 1);
  assert.is(report.findings.missingObject.omitted, 2);
  assert.ok(report.findings.missingObject.count >= 3);
});

test('a path that is not a data dir is refused and not created', async () => {
  const missing = join(tempDir(), 'nothing-here');
  assert.match((await rejects(() => checkLog(missing), InvalidArgumentError)).message, /dataDir: .*nothing-here is not a folder/);
  assert.not.ok(existsSync(missing));
  const empty = tempDir();
  assert.match((await rejects(() => checkLog(empty), InvalidArgumentError)).message, /has no index\.db/);
  assert.equal(readdirSync(empty), []);
});

test('copies of the databases are never made inside the data dir', async ({ dir }) => {
  const error = await rejects(() => checkLog(dir, { tempDir: join(dir, 'tmp') }), InvalidArgumentError);
  assert.match(error.message, /tempDir: .* is inside the data dir/);
});

test('a catalogue.db that is not a SQLite database cannot be checked: a typed error naming it, and no copy left behind', async ({ dir }) => {
  writeFileSync(join(dir, 'journal', 'catalogue.db'), 'garbage '.repeat(1_000));
  const copies = tempDir();
  const error = await rejects(() => checkLog(dir, { tempDir: copies }), InvalidArgumentError);
  assert.match(error.message, /dataDir: .*journal\/catalogue\.db is not a readable SQLite database \(file is not a database\)/);
  assert.equal(readdirSync(copies), [], 'the copies of index.db and catalogue.db are removed');
});

test('a temp dir that cannot hold the copies is named as the option to fix', async ({ dir }) => {
  const error = await rejects(() => checkLog(dir, { tempDir: join(tempDir(), 'absent', 'deeper') }), InvalidArgumentError);
  assert.match(error.message, /tempDir: cannot make a folder in .*absent\/deeper for a copy of index\.db/);
});

test('a data dir that lost its catalogue cannot be checked, and is left as it is', async ({ dir }) => {
  unlinkSync(join(dir, 'journal', 'catalogue.db'));
  const before = listing(dir);
  assert.match((await rejects(() => checkLog(dir), InvalidArgumentError)).message, /has no journal\/catalogue\.db/);
  assert.equal(listing(dir), before);
  assert.ok(existsSync(dirname(join(dir, 'journal', 'catalogue.db'))));
});

test.run();
