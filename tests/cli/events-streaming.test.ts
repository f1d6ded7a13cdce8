// `eventlake events` writes each row as the index reads it (NDJSON, and the table after the look-ahead that sizes its
// columns), byte for byte what printRows printed of the collected rows: it used to hold every row of the range.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { TABLE_LOOK_AHEAD, writeEvents } from '../../cli/events-listing.ts';
import { printRows } from '../../cli/output.ts';
import type { EventIndex, NewIndexEntry, IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { hotEntry } from '../support/index-entries.ts';
import { observedIndex } from '../support/observed-index.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite<{ index: SqliteEventIndex }>('events command: streamed output', { index: undefined as never });
test.before.each((ctx) => { ctx.index = new SqliteEventIndex(join(tempDir(), 'index.db')); });
test.after.each(({ index }) => index.close());

const T0 = 1_714_000_000;
const RANGE: IndexRangeQuery = { from: T0, to: T0 + 100 };

/** Entries whose id, type, accounts and tier vary in width, so a column width taken from the wrong rows shows. */
const varied = (n: number): NewIndexEntry[] => Array.from({ length: n }, (_, i) => ({
  ...hotEntry(`${i % 3 === 0 ? 'incoming_payment' : 'cash_deposit'}_${String(i).padStart(4, '0')}${'x'.repeat(i % 7)}`, T0 + (i % 50)),
  type: i % 3 === 0 ? 'incoming_payment' : 'cash_deposit',
  accounts: i % 4 === 0 ? ['DE44-5001-0517', `DE-${i}`] : i % 4 === 1 ? [] : [`ACC-${i}`],
  storageClass: i % 5 === 0 ? 'DEEP_ARCHIVE' : 'STANDARD',
}));

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function written(index: EventIndex, json: boolean, query = RANGE): Promise<string> {
  const out = new Sink();
  await writeEvents(index, query, json, out);
  return out.text;
}

/** What the command printed before: every row collected, then printRows. */
async function printedAfterCollecting(index: EventIndex, json: boolean, query = RANGE): Promise<string> {
  const rows: Record<string, unknown>[] = [];
  for await (const e of index.between(query)) rows.push({ time: new Date(e.timestamp * 1000).toISOString(), id: e.id, type: e.type, accounts: [...e.accounts], tier: e.storageClass, key: e.location.key });
  const out = new Sink();
  printRows(rows, json, out);
  return out.text;
}

test('the table is byte for byte what printRows printed of the collected rows', async ({ index }) => {
  await index.put(varied(120));
  assert.is(await written(index, false), await printedAfterCollecting(index, false));
});

test('--json is byte for byte what printRows printed of the collected rows', async ({ index }) => {
  await index.put(varied(120));
  assert.is(await written(index, true), await printedAfterCollecting(index, true));
});

test('an empty range prints (none) as a table and nothing as --json, as before', async ({ index }) => {
  await index.put(varied(3));
  const empty = { from: T0 + 500, to: T0 + 600 };
  assert.is(await written(index, false, empty), '(none)\n');
  assert.is(await written(index, true, empty), '');
});

/** Lines written by the time each entry was handed out, over every range read of the run. */
async function linesAtEachRead(index: EventIndex, json: boolean): Promise<number[]> {
  const out = new Sink();
  const reads: number[] = [];
  await writeEvents(observedIndex(index, () => { reads.push(out.text.split('\n').length - 1); }), RANGE, json, out);
  return reads;
}

test('--json writes each row before the index hands out the next', async ({ index }) => {
  await index.put(varied(1_500));
  assert.equal(await linesAtEachRead(index, true), Array.from({ length: 1_500 }, (_, i) => i));
});

test('the table writes nothing during its look-ahead, then its header and each row before the index hands out the next', async ({ index }) => {
  await index.put(varied(1_500));
  // The look-ahead's rows, and the one read to learn the range goes on; then header + rows, one more per entry.
  const expected = Array.from({ length: 1_500 }, (_, i) => (i <= TABLE_LOOK_AHEAD ? 0 : i + 1));
  assert.equal(await linesAtEachRead(index, false), expected);
});

test('an event indexed while the table prints is not listed: the rows and widths stay those of the log as it was', async ({ index }) => {
  await index.put(varied(40));
  const before = await printedAfterCollecting(index, false);
  let added = false;
  const observed = observedIndex(index, async () => {
    if (added) return;
    added = true;
    await index.put([{ ...hotEntry(`cash_deposit_${'w'.repeat(80)}`, T0 + 1), accounts: ['A-much-longer-account-than-any-other'] }]);
  });
  const out = new Sink();
  await writeEvents(observed, RANGE, false, out);
  assert.is(out.text, before);
});

test.run();
