// A page of GET /events after a cursor reads at most limit + 1 index entries, also inside a second holding many
// events (a bulk import with one timestamp): it used to re-read and skip every event of the cursor's second before it.
// This is the path of an index without `firstEntries` (DynamoDbEventIndex): range reads through `between`.
// SqliteEventIndex's own one-statement page is counted in events-page-reads.test.ts.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteEventIndex } from '../../adapters/local/sqlite-event-index.ts';
import { eventsPage } from '../../cli/http-events.ts';
import { hotEntry } from '../support/index-entries.ts';
import { observedIndex } from '../support/observed-index.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('GET /events: index reads of a page');

const T0 = 1_714_000_000;
const id = (n: number) => `cash_deposit_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

test('a page after a cursor inside a crowded second reads at most limit + 1 entries, and continues right after it', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  try {
    await index.put(Array.from({ length: 300 }, (_, n) => hotEntry(id(n), T0)));
    let reads = 0;
    const observed = observedIndex(index, () => { reads++; });
    const betweenOnly = new Proxy(observed, { get: (target, name) => (name === 'firstEntries' ? undefined : Reflect.get(target, name)) });
    const page = await eventsPage(betweenOnly, { from: T0, to: T0 + 1, limit: 5, after: id(250) });
    assert.equal(page.entries.map((e) => e.id), [251, 252, 253, 254, 255].map(id));
    assert.is(page.next, id(255));
    assert.ok(reads > 0 && reads <= 6, `read ${reads} entries for a page of 5`);
  } finally {
    index.close();
  }
});

test.run();
