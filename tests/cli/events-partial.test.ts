// `eventlake events` read its range twice in table mode (once to size the columns), and an index failing part-way
// left the rows already printed followed by the index's own error: a piped listing looked whole. It now reads the
// range once, and a failure after rows were printed is a STORAGE_FAILED error (exit 1) saying the listing is partial,
// how many rows it holds, the last one and the --since that lists the rest.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { TABLE_LOOK_AHEAD, writeEvents } from '../../cli/events-listing.ts';
import { EventlakeError } from '../../domain/errors.ts';
import type { EventIndex, IndexEntry, IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { hotEntry } from '../support/index-entries.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite<{ index: SqliteEventIndex }>('events command: one read, partial listings', { index: undefined as never });
test.before.each(async (ctx) => {
  ctx.index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  await ctx.index.put(Array.from({ length: 1_500 }, (_, i) => hotEntry(`cash_deposit_${String(i).padStart(4, '0')}`, T0 + i)));
});
test.after.each(({ index }) => index.close());

const T0 = 1_714_000_000;
const RANGE: IndexRangeQuery = { from: T0, to: T0 + 10_000 };

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** `index` counting its range reads and the entries they hand out, and failing after `failAfter` entries if given. */
function counted(index: EventIndex, failAfter = Infinity): { index: EventIndex; reads: number; entries: number } {
  const seen = { reads: 0, entries: 0 };
  const wrapped = new Proxy(index, {
    get(target, name) {
      if (name === 'between') {
        return async function* (query: IndexRangeQuery): AsyncGenerator<IndexEntry> {
          seen.reads++;
          for await (const entry of target.between(query)) {
            if (seen.entries === failAfter) throw new Error('SQLITE_IOERR: disk I/O error');
            seen.entries++;
            yield entry;
          }
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return Object.assign(seen, { index: wrapped });
}

async function failure(run: Promise<void>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the listing to fail');
}

for (const json of [false, true]) {
  const mode = json ? '--json' : 'the table';

  test(`${mode} reads the range once, each entry handed out once`, async ({ index }) => {
    const c = counted(index);
    await writeEvents(c.index, RANGE, json, new Sink());
    assert.equal({ reads: c.reads, entries: c.entries }, { reads: 1, entries: 1_500 });
  });

  test(`${mode}: an index failing after rows were printed is a STORAGE_FAILED error saying the listing is partial and how far it got`, async ({ index }) => {
    const printed = TABLE_LOOK_AHEAD + 200;
    const out = new Sink();
    const error = await failure(writeEvents(counted(index, printed).index, RANGE, json, out));
    assert.instance(error, EventlakeError);
    assert.is((error as EventlakeError).code, 'STORAGE_FAILED');
    const last = `cash_deposit_${String(printed - 1).padStart(4, '0')}`;
    const time = new Date((T0 + printed - 1) * 1000).toISOString();
    assert.is(error.message, `the listing above is partial: reading the index failed after ${printed} event(s) were printed, the last ${last} at ${time} ` +
      `(SQLITE_IOERR: disk I/O error); run the same command with --since ${time} for the rest (its first rows repeat those of that second)`);
    const lines = out.text.trimEnd().split('\n');
    assert.is(lines.length, printed + (json ? 0 : 1));
    assert.ok(lines.at(-1)!.includes(last));
  });
}

test('the table: an index failing within the look-ahead writes nothing and throws its own error', async ({ index }) => {
  const out = new Sink();
  const error = await failure(writeEvents(counted(index, 10).index, RANGE, false, out));
  assert.is(error.message, 'SQLITE_IOERR: disk I/O error');
  assert.is(out.text, '');
});

test('--json: an index failing before the first row writes nothing and throws its own error', async ({ index }) => {
  const out = new Sink();
  const error = await failure(writeEvents(counted(index, 0).index, RANGE, true, out));
  assert.is(error.message, 'SQLITE_IOERR: disk I/O error');
  assert.is(out.text, '');
});

test('rows past the look-ahead keep its column widths: a wider cell pushes only its own row', async ({ index }) => {
  await index.put([hotEntry(`cash_deposit_${'w'.repeat(40)}`, T0 + 5_000)]);
  const out = new Sink();
  await writeEvents(index, RANGE, false, out);
  const lines = out.text.trimEnd().split('\n');
  const typeAt = (line: string) => line.indexOf('  cash_deposit  ') + 2;
  assert.is(lines.length, 1 + 1_501);
  assert.is(typeAt(lines.at(-2)!), lines[0]!.indexOf('type'));
  assert.ok(typeAt(lines.at(-1)!) > lines[0]!.indexOf('type'));
});

test.run();
