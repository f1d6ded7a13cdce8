// What recognising compaction leftovers costs the local check: an object without a second copy reads no segment,
// and the segment an hour's leftovers compare with is read once for all of them, not once per leftover.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { localLeftover, segmentReader, type JudgedLine } from '../../../adapters/local/log-check-leftovers.ts';
import { eventId } from '../../../domain/event.ts';
import { EVENTS, interruptedCompaction, SEGMENT } from '../../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('checkLog, the cost of compaction leftovers');

test('an object whose lines are all indexed in it reads no segment', async () => {
  const dir = tempDir();
  const [batch] = await interruptedCompaction(dir);
  const bytes = readFileSync(join(dir, batch!));
  const lines: JudgedLine[] = [{ offset: 0, length: bytes.indexOf(10), id: eventId(EVENTS[0]!), named: true }];
  let reads = 0;
  assert.is(localLeftover(batch!, bytes, lines, [], () => { reads++; return undefined; }), undefined);
  assert.is(reads, 0);
});

test("an object with a finding besides its copies reads no segment: it cannot be a leftover whatever the segment holds", async () => {
  const dir = tempDir();
  const [batch] = await interruptedCompaction(dir);
  const bytes = readFileSync(join(dir, batch!));
  // Shaped as a leftover in every other way: a batch object's copy indexed at a line of its hour's segment.
  const copyOf = { key: SEGMENT, offset: 0, length: bytes.indexOf(10), timestamp: EVENTS[0]!.EventTimeStamp };
  const lines: JudgedLine[] = [{ offset: 0, length: bytes.indexOf(10), id: eventId(EVENTS[0]!), named: false, copyOf }];
  let reads = 0;
  assert.is(localLeftover(batch!, bytes, lines, ['extraCopy', 'misplacedLine'], () => { reads++; return undefined; }), undefined);
  assert.is(reads, 0);
});

test('the segment is read once for every leftover of its hour: later ones are served what the first read', async () => {
  const dir = tempDir();
  await interruptedCompaction(dir);
  const read = segmentReader(dataDirLayout(dir), true);
  const first = read(SEGMENT);
  assert.ok(first && first.lines.length > 0);
  assert.ok(read(SEGMENT) === first, 'not read again');
});

test.run();
