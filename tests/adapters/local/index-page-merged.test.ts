// Range reads merged per type or per account (and the head read of a range) return exactly what one unpaged,
// unmerged SQL read of the range returns, in the same order, whatever page size reads them and wherever pages end.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openIndexDb } from '../../../adapters/local/sqlite-index-db.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { MAX_MERGED } from '../../../adapters/local/sqlite-range-reads.ts';
import type { IndexRangeQuery, NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('SqliteEventIndex: merged range reads');
const T = 1_700_000_000;
const EVENTS = 2_345;
const TYPES = ['cash_deposit', 'card_payment', 'incoming_payment', 'account_closed'];

function entry(i: number): NewIndexEntry {
  // Ids out of insertion order; every third event names two accounts, so merged account reads meet it twice.
  const id = `evt_${((i * 7919) % 10_007).toString().padStart(5, '0')}`;
  const accounts = i % 3 === 0 ? [`ACC-${i % 5}`, `ACC-${(i + 1) % 5}`] : [`ACC-${i % 5}`];
  return { id, type: TYPES[i % 97 === 0 ? 3 : i % 3]!, timestamp: T + Math.floor(i / 300), accounts, location: { key: `k/${i}` }, size: 1, storageClass: 'STANDARD', restore: 'NONE' };
}

let file: string;
let index: SqliteEventIndex;

test.before(async () => {
  file = join(tempDir('eventlake-merged-'), 'index.db');
  index = new SqliteEventIndex(file);
  await index.put(Array.from({ length: EVENTS }, (_, i) => entry(i)));
});
test.after(() => index.close());

async function ids(query: IndexRangeQuery): Promise<string[]> {
  const out: string[] = [];
  for await (const e of index.between(query)) out.push(e.id);
  return out;
}

/** The ids of [from, to) of any of `types` touching any of `accounts`, in one plain SQL read: what every read must equal. */
function unpaged(from: number, to: number, types?: readonly string[], accounts?: readonly string[]): string[] {
  const db = openIndexDb(file, {});
  try {
    return db.prepare(`SELECT id FROM events WHERE timestamp >= @from AND timestamp < @to
      AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
      AND (@accounts IS NULL OR id IN (SELECT id FROM event_accounts WHERE account IN (SELECT value FROM json_each(@accounts))))
      ORDER BY timestamp, id`).pluck().all({ from, to, types: types ? JSON.stringify(types) : null, accounts: accounts ? JSON.stringify(accounts) : null }) as string[];
  } finally {
    db.close();
  }
}

test('several types read across page ends return exactly the unpaged read', async () => {
  const types = ['card_payment', 'account_closed', 'cash_deposit', 'card_payment'];
  const read = await ids({ from: T, to: T + 100, types });
  assert.ok(read.length > 1_000);
  assert.equal(read, unpaged(T, T + 100, types));
});

test('several accounts return each event once, even one naming two of them, as the unpaged read', async () => {
  const accounts = ['ACC-3', 'ACC-1', 'ACC-2'];
  const read = await ids({ from: T, to: T + 100, accounts });
  assert.ok(read.length > 1_000);
  assert.equal(read, unpaged(T, T + 100, undefined, accounts));
});

test('several accounts and types return exactly the unpaged read', async () => {
  const accounts = ['ACC-0', 'ACC-4'];
  const types = ['cash_deposit', 'account_closed'];
  assert.equal(await ids({ from: T + 1, to: T + 7, accounts, types }), unpaged(T + 1, T + 7, types, accounts));
});

test('several accounts after a cursor inside a second return exactly the rest of the unpaged read', async () => {
  const accounts = ['ACC-1', 'ACC-2'];
  const whole = unpaged(T, T + 100, undefined, accounts);
  const cursor = (await index.get(whole[700]!))!;
  assert.equal(await ids({ from: T, to: T + 100, accounts, after: { timestamp: cursor.timestamp, id: cursor.id } }), whole.slice(701));
});

test(`more than ${MAX_MERGED} accounts or types, not merged, return the same as the unpaged read`, async () => {
  const accounts = Array.from({ length: MAX_MERGED + 1 }, (_, i) => `ACC-${i}`);
  const types = [...TYPES, ...Array.from({ length: MAX_MERGED }, (_, i) => `t${i}`)];
  assert.equal(await ids({ from: T, to: T + 100, accounts }), unpaged(T, T + 100, undefined, accounts));
  assert.equal(await ids({ from: T, to: T + 100, types }), unpaged(T, T + 100, types));
});

test('the first n entries of a range are the first n the range read yields, for any filter', async () => {
  for (const query of [{ from: T, to: T + 100 }, { from: T, to: T + 100, types: ['card_payment', 'cash_deposit'] }, { from: T, to: T + 100, accounts: ['ACC-2', 'ACC-0'] }]) {
    const all = await ids(query);
    for (const n of [1, 7, 1_001]) assert.equal((await index.firstEntries(query, n)).map((e) => e.id), all.slice(0, n));
  }
  assert.equal(await index.firstEntries({ from: T, to: T + 100 }, 0), []);
});

test('no types or no accounts match nothing, as an empty filter always did', async () => {
  assert.equal(await ids({ from: T, to: T + 100, types: [] }), []);
  assert.equal(await ids({ from: T, to: T + 100, accounts: [] }), []);
});

test.run();
