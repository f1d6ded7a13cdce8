// A data dir whose index.db or catalogue fell behind deleted journal segments names the repair that rebuilds it with
// the global options the user gave (repair index needs every --schemas for user types' accounts).

import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { INDEXER_CURSOR, LocalIndexer } from '../../adapters/local/local-indexer.ts';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('journal repair hints spell their commands with the global options');
const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** Deposits `from`..`to` appended to `dir` and indexed, in small journal segments the checkpoint then deletes. */
async function journaled(dir: string, from: number, to: number): Promise<void> {
  const layout = dataDirLayout(dir);
  const index = new SqliteEventIndex(layout.indexDb);
  const log = await FsEventLog.open(dir, { checkpointEvery: 0, journalSegmentBytes: 300, journalReaders: () => index.cursor(INDEXER_CURSOR) });
  for (let i = from; i <= to; i++) await log.append([depositNo(i)]);
  await new LocalIndexer({ log, index }).catchUp();
  await log.checkpoint();
  await log.close();
  index.close();
}

/** `--data-dir DIR --schemas S` for a new schema folder S. */
function lakeOptions(dir: string): string[] {
  const schemas = join(tempDir(), 'schemas');
  mkdirSync(schemas);
  return ['--data-dir', dir, '--schemas', schemas];
}

test('an index.db restored from a backup older than the journal names repair index with the options given', async () => {
  const dir = tempDir();
  const { indexDb } = dataDirLayout(dir);
  await journaled(dir, 1, 1);
  const backup = join(tempDir(), 'index.db');
  copyFileSync(indexDb, backup);
  await journaled(dir, 2, 8);
  for (const suffix of ['-wal', '-shm']) rmSync(`${indexDb}${suffix}`, { force: true });
  copyFileSync(backup, indexDb);
  const lake = lakeOptions(dir);
  const r = await runCli([...lake, 'balance']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `JOURNAL_SEGMENT_DELETED: `);
  assert.match(r.stderr, `run \`eventlake ${lake.join(' ')} repair index\` (repairIndex) to rebuild it from the objects`);
});

test('a catalogue lost after journal segments were deleted names repair catalogue with the options given', async () => {
  const dir = tempDir();
  await journaled(dir, 1, 6);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataDirLayout(dir).logCatalogue}${suffix}`, { force: true });
  const input = join(tempDir(), 'events.ndjson');
  writeFileSync(input, JSON.stringify(depositNo(7)));
  const lake = lakeOptions(dir);
  const r = await runCli([...lake, 'emit', input]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `run \`eventlake ${lake.join(' ')} repair catalogue\` (repairCatalogue) to rebuild it from index.db`);
});

test.run();
