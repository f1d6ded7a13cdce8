// IngestJournal: the line format FsEventLog's write-ahead log keeps, and reading it back.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { IngestJournal, journalBytes } from '../../../adapters/local/ingest-journal.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('IngestJournal');

/** The documented line format, built the plain way: `<key>\t<content>\t<crc32 of "<key>\t<content>", 8 hex>\n`. */
const line = (key: string, content: string) => `${key}\t${content}\t${crc32(`${key}\t${content}`).toString(16).padStart(8, '0')}\n`;

test('an append writes a newline, then each record as key, content and the checksum of both, in UTF-8', () => {
  const records = [
    { key: 'events/year=2024/month=03/day=07/hour=09/batch-0000000000001.ndjson#0:40', content: '{"Note":"ümlaut €, 😀 and \\n"}' },
    { key: 'events/year=2024/month=03/day=07/hour=09/x_1.event', content: '{"a":1}' },
    { key: 'k', content: '' },
  ];
  assert.equal(journalBytes(records).toString('utf8'), `\n${records.map((r) => line(r.key, r.content)).join('')}`);
});

test('appended lines are read back with their keys, contents and byte offsets', () => {
  const layout = dataDirLayout(tempDir());
  const journal = new IngestJournal(layout);
  const records = [{ key: 'a#0:12', content: '{"x":"é"}' }, { key: 'a#11:12', content: '{}' }];
  const end = journal.append(records);
  const { lines, next } = journal.read(0);
  assert.equal(lines.map((l) => ({ key: l.key, content: l.content })), records);
  assert.equal(end, readFileSync(layout.ingestJournal).length);
  assert.equal(next, end);
  assert.equal(lines[1]!.end, end);
  journal.close();
});

test.run();
