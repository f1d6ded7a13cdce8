// SqliteEventIndex: the EventIndex contract, plus the local extras (cursor in the put transaction, WAL, file mode).

import { compareEvents } from '../../../domain/event.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import type { RangeGroup, ReplayEntry } from '../../../projections/rebuild/deps.ts';
import { positionDigestOf, replayEntriesIn, summarizeRange } from '../../../projections/rebuild/deps.ts';
import { PositionDigester, sameDigest } from '../../../projections/rebuild/position-digest.ts';
import { openReplaySource } from '../../../projections/rebuild/replay-source.ts';
import { eventIndexContract } from '../../contracts/event-index.contract.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

// Range reads in statements of 7 rows, so the contract's few dozen entries span many keyset pages.
eventIndexContract('SqliteEventIndex', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'), { rangePageSize: 7 });
  return { subject: index, pageSize: 7, cleanup: async () => index.close() };
});

const entry = (n: number): NewIndexEntry => ({
  id: `cash_deposit_${n}`, type: 'cash_deposit', timestamp: 1_700_000_000 + n, accounts: ['ACC-000001'],
  location: { key: `events/year=2023/month=11/day=14/hour=22/cash_deposit_${n}.event` }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
});

const test = suite('SqliteEventIndex on disk');

test('the database is in WAL mode and its file is 0600 in a 0700 folder', async () => {
  const dir = join(tempDir(), 'data');
  const index = new SqliteEventIndex(join(dir, 'index.db'));
  await index.put([entry(1)]);
  const db = new Database(join(dir, 'index.db'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  assert.is(statSync(join(dir, 'index.db')).mode & 0o777, 0o600);
  assert.is(statSync(dir).mode & 0o777, 0o700);
  index.close();
});

test('a rangePageSize that is not a whole number of at least 1 is refused, naming it', () => {
  for (const rangePageSize of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new SqliteEventIndex(join(tempDir(), 'index.db'), { rangePageSize }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'rangePageSize', String(rangePageSize));
  }
});

test('entries and positions survive reopening', async () => {
  const file = join(tempDir(), 'index.db');
  const first = new SqliteEventIndex(file);
  const [stored] = await first.put([entry(1)]);
  first.close();
  const again = new SqliteEventIndex(file);
  assert.equal(await again.get(entry(1).id), stored);
  const [next] = await again.put([entry(2)]);
  assert.ok(next!.position > stored!.position);
  again.close();
});

test('putWithCursor moves the cursor with the entries, and never backwards', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  assert.is(await index.cursor('journal'), 0);
  await index.putWithCursor([entry(1)], { name: 'journal', value: 120 });
  await index.putWithCursor([], { name: 'journal', value: 80 });
  assert.is(await index.cursor('journal'), 120);
  index.close();
});

test('a put that fails part-way stores none of its entries and leaves the cursor', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  const broken = { ...entry(2), storageClass: null } as unknown as NewIndexEntry;
  let failed = false;
  try {
    await index.putWithCursor([entry(1), broken], { name: 'journal', value: 500 });
  } catch {
    failed = true;
  }
  assert.ok(failed);
  assert.is(await index.count(), 0);
  assert.is(await index.cursor('journal'), 0);
  index.close();
});

test('a write blocked by another process past the busy timeout fails with TransientError', async () => {
  const file = join(tempDir(), 'index.db');
  const index = new SqliteEventIndex(file, { busyTimeoutMs: 20 });
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  await rejects(() => index.put([entry(1)]), TransientError);
  other.exec('ROLLBACK');
  other.close();
  assert.is((await index.put([entry(1)])).length, 1);
  index.close();
});

/** A mixed index: one-event objects, a two-event GLACIER segment (restored), a hot segment. */
async function mixedIndex(): Promise<SqliteEventIndex> {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  const segment = (n: number, key: string, offset: number): NewIndexEntry => ({ ...entry(n), location: { key, offset, length: 200 } });
  const glacier = 'events/year=2023/month=11/day=14/hour=22/segment-a.ndjson';
  await index.put([entry(1), segment(2, glacier, 0), segment(3, glacier, 201), entry(4), segment(5, 'events/year=2023/month=11/day=14/hour=23/segment-b.ndjson', 0), entry(6)]);
  await index.setObjectStorage(glacier, 'GLACIER', 'RESTORED');
  return index;
}

/** The same scans page by page through the port (what an index without RangeScans gets). */
const portOnly = (index: SqliteEventIndex) => ({ afterPosition: index.afterPosition.bind(index) }) as unknown as SqliteEventIndex;

for (const range of [{ after: 0, upTo: 6 }, { after: 1, upTo: 5 }, { after: 0, upTo: 6, until: (1_700_000_000 + 4) * 1000 }]) {
  test(`the rebuild scans agree with a page-by-page scan of the port (${JSON.stringify(range)})`, async () => {
    const index = await mixedIndex();
    const plain = (entries: readonly ReplayEntry[]) => entries.map((e) => ({ id: e.id, timestamp: e.timestamp, location: e.location, storageClass: e.storageClass, position: e.position }));
    assert.equal(plain(await replayEntriesIn(index, range)), plain(await replayEntriesIn(portOnly(index), range)));
    const sorted = (groups: readonly RangeGroup[]) => groups.map((g) => ({ ...g, key: g.key ?? 'own' })).sort((a, b) => (a.key < b.key ? -1 : 1));
    const own = (await summarizeRange(index, range)).filter((g) => g.key === null);
    const ownViaPort = (await summarizeRange(portOnly(index), range)).filter((g) => g.key!.endsWith('.event'));
    assert.equal(own.map((g) => [g.storageClass, g.restore, g.events, g.bytes]), [[ownViaPort[0]?.storageClass, 'NONE', ownViaPort.length, ownViaPort.length * 200]].filter(() => ownViaPort.length > 0));
    assert.equal(sorted((await summarizeRange(index, range)).filter((g) => g.key !== null)), sorted((await summarizeRange(portOnly(index), range)).filter((g) => !g.key!.endsWith('.event'))));
    assert.equal(await positionDigestOf(index, range), await positionDigestOf(portOnly(index), range));
    // A replay source hands out the same entries in replay order, in batches of any size, from any cursor.
    const expected = plain(await replayEntriesIn(portOnly(index), range)).sort(compareEvents);
    for (const size of [1, 2, 100]) {
      for (const cursor of [undefined, expected[0], expected[expected.length - 2]]) {
        const want = cursor ? expected.slice(expected.indexOf(cursor) + 1) : expected;
        for (const idx of [index, portOnly(index)]) {
          const source = await openReplaySource(idx, range, cursor && { timestamp: cursor.timestamp, id: cursor.id });
          const got: ReplayEntry[] = [];
          for (let b = await source.next(size); b.length > 0; b = await source.next(size)) got.push(...b);
          assert.equal([plain(got), source.remaining], [want, want.length], `size ${size}, cursor ${cursor?.id}`);
          assert.equal([...source.archivedKeys].sort(), [...new Set(expected.filter((e) => e.storageClass !== 'STANDARD').map((e) => e.location.key))].sort());
        }
      }
    }
    index.close();
  });
}

test('the position digest changes when a position is missing, doubled or replaced', async () => {
  const digest = (positions: number[]) => { const d = new PositionDigester(); positions.forEach((p) => d.add(p)); return d.digest(); };
  const all = digest([1, 2, 3, 4]);
  for (const other of [[1, 2, 3], [1, 2, 3, 4, 4], [1, 2, 3, 5], [1, 1, 3, 5]]) assert.not.ok(sameDigest(all, digest(other)), JSON.stringify(other));
  assert.ok(sameDigest(all, digest([4, 2, 3, 1])), 'order does not matter');
});

test('storage changes requested in one turn commit together, each call resolving after the commit', async () => {
  const index = await mixedIndex();
  const key = 'events/year=2023/month=11/day=14/hour=23/segment-b.ndjson';
  await Promise.all([index.setObjectStorage(key, 'GLACIER', 'NONE'), index.setObjectStorage(key, 'GLACIER', 'RESTORING')]);
  assert.equal([(await index.get(entry(5).id))?.storageClass, (await index.get(entry(5).id))?.restore], ['GLACIER', 'RESTORING'], 'applied in the order requested');
  index.close();
});

test('a range summarized again after this connection changed the index counts the change', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  await index.put([entry(1), entry(2)]);
  const range = { after: 0, upTo: 3 };
  assert.equal((await summarizeRange(index, range)).map((g) => [g.storageClass, g.events]), [['STANDARD', 2]]);
  await index.put([entry(3)]);
  await index.setObjectStorage(entry(1).location.key, 'GLACIER', 'NONE');
  const groups = (await summarizeRange(index, range)).map((g) => [g.storageClass, g.events]).sort();
  assert.equal(groups, [['GLACIER', 1], ['STANDARD', 2]]);
  index.close();
});

test('a range summarized again after another connection committed to the index counts the commit', async () => {
  const file = join(tempDir(), 'index.db');
  const index = new SqliteEventIndex(file);
  await index.put([entry(1), entry(2)]);
  const range = { after: 0, upTo: 2 };
  assert.equal((await summarizeRange(index, range)).map((g) => [g.storageClass, g.events]), [['STANDARD', 2]]);
  const other = new SqliteEventIndex(file);
  await other.setObjectStorage(entry(2).location.key, 'GLACIER', 'RESTORED');
  other.close();
  const groups = (await summarizeRange(index, range)).map((g) => [g.storageClass, g.restore, g.events]).sort();
  assert.equal(groups, [['GLACIER', 'RESTORED', 1], ['STANDARD', 'NONE', 1]]);
  index.close();
});

test.run();
