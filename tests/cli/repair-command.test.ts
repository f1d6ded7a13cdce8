// `eventlake repair catalogue`: a data dir whose catalogue was lost after journal segments were deleted cannot emit
// until repaired, and emits as before after; --json for scripts; a path that is not a data dir is refused, not created.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CatalogueRepairReport } from '../../adapters/local/catalogue-repair.ts';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir, withDb } from '../support/check-data-dir.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** An NDJSON file of `events` to emit. */
function input(events: readonly DomainEvent[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  return file;
}

/** Events 1..6 appended and indexed with small journal segments, the first ones deleted, then the catalogue lost. */
async function lostCatalogue(): Promise<string> {
  const dir = tempDir();
  const layout = dataDirLayout(dir);
  const index = new SqliteEventIndex(layout.indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 300, journalReaders: () => index.cursor(INDEXER_CURSOR) });
  for (let i = 1; i <= 6; i++) await log.append([depositNo(i)]);
  await new LocalIndexer({ log, index }).catchUp();
  await log.checkpoint();
  await log.close();
  index.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${layout.logCatalogue}${suffix}`, { force: true });
  return dir;
}

const test = suite('eventlake repair catalogue (CLI)');

test('a lost catalogue stops emit with the fix named; repaired, emit finds duplicates and conflicts as before', async () => {
  const dir = await lostCatalogue();
  const blocked = await runCli(['--data-dir', dir, 'emit', input([depositNo(7)])]);
  assert.is(blocked.code, 1);
  assert.match(blocked.stderr, /JOURNAL_SEGMENT_DELETED: .*run `eventlake --data-dir \S+ repair catalogue`/);
  const repaired = await runCli(['--data-dir', dir, 'repair', 'catalogue']);
  assert.is(repaired.code, 0, repaired.stderr);
  // The failed emit left an empty catalogue.db (opening the log creates it), so the repair rebuilds that one.
  assert.match(repaired.stdout, `${dir}: catalogue rebuilt from index.db`);
  assert.match(repaired.stdout, 'identities: 0 before, 6 after (6 added, 0 removed)');
  const emitted = await runCli(['--data-dir', dir, 'emit', '--json', input([depositNo(1), depositNo(7)])]);
  assert.is(emitted.code, 0, emitted.stderr);
  assert.equal(emitted.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status), ['duplicate', 'stored']);
  const conflict = await runCli(['--data-dir', dir, 'emit', input([{ ...depositNo(2), Reference: 'other bytes' } as DomainEvent])]);
  assert.is(conflict.code, 1);
  assert.match(conflict.stderr, 'EVENT_CONFLICT');
});

test('--json prints the report as one JSON object; check then finds catalogue and index equal', async () => {
  const dir = await healthyDataDir();
  withDb(dataDirLayout(dir).logCatalogue, (db) => db.exec('DELETE FROM identities WHERE key IN (SELECT key FROM identities LIMIT 3)'));
  const r = await runCli(['--data-dir', dir, 'repair', 'catalogue', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as CatalogueRepairReport;
  assert.equal([report.created, report.added, report.removed], [false, 3, 0]);
  assert.is(report.identitiesAfter, report.identitiesBefore + 3);
  const check = await runCli(['--data-dir', dir, 'check']);
  assert.is(check.code, 0, check.stdout);
});

test('a path that is not a data dir is refused with the field and the fix, and not created', async () => {
  const missing = join(tempDir(), 'not-a-data-dir');
  const r = await runCli(['--data-dir', missing, 'repair', 'catalogue']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /INVALID_ARGUMENT: dataDir: .*not-a-data-dir is not a folder; point --data-dir/);
  assert.not.ok(existsSync(missing));
});

test.run();
