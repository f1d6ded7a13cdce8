// journalNotIndexed: the events the ingest journal holds past the indexer's cursor, counted read-only, line by line
// as the indexer would read them (whole, checksummed lines), across segments and read chunks.

import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { journalNotIndexed } from '../../../adapters/local/journal-not-indexed.ts';
import { segmentName } from '../../../adapters/local/journal-segments.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { appendPastIndexer } from '../../support/stalled-indexer.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('journalNotIndexed');

/** A journal of three appends of three events each, one segment per append; its ends before and after each. */
async function threeAppends(): Promise<{ dir: string; ends: number[] }> {
  const dir = tempDir();
  return { dir, ends: await appendPastIndexer(dir, 3) };
}

test('every event journaled at or past the cursor is counted, across segments', async () => {
  const { dir, ends } = await threeAppends();
  const layout = dataDirLayout(dir);
  assert.equal(journalNotIndexed(layout, ends[0]!), { events: 9, indexerCursor: ends[0]!, journalEnd: ends[3]! });
  assert.is(journalNotIndexed(layout, ends[2]!).events, 3);
});

test('a cursor at the journal\'s end counts none', async () => {
  const { dir, ends } = await threeAppends();
  assert.equal(journalNotIndexed(dataDirLayout(dir), ends[3]!), { events: 0, indexerCursor: ends[3]!, journalEnd: ends[3]! });
});

test('a line read in two chunks is counted once', async () => {
  const { dir, ends } = await threeAppends();
  assert.is(journalNotIndexed(dataDirLayout(dir), ends[0]!, undefined, 7).events, 9);
});

test('a last line without its newline (being written) and a line failing its checksum are not events', async () => {
  const { dir, ends } = await threeAppends();
  const layout = dataDirLayout(dir);
  const last = join(layout.journalDir, segmentName(ends[2]!));
  appendFileSync(last, '\nevents/x.ndjson#0:10\t{"a":1}\t00000000\nevents/y.ndjson#0:10\t{"a":');
  assert.is(journalNotIndexed(layout, ends[0]!).events, 9);
});

test('a data dir without a journal counts none and is left without one', () => {
  const dir = tempDir();
  assert.equal(journalNotIndexed(dataDirLayout(dir), 0), { events: 0, indexerCursor: 0, journalEnd: 0 });
  assert.not.ok(existsSync(dataDirLayout(dir).journalDir));
  assert.equal(readdirSync(dir), []);
});

test.run();
