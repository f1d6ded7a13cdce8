// Contract of the EventIndex port: every adapter (SqliteEventIndex, DynamoDbEventIndex) must pass these, through the port alone.

import * as assert from 'uvu/assert';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import { eventIndexCursorContract } from './event-index-cursor.contract.ts';
import { eventIndexPagingContract } from './event-index-paging.contract.ts';
import { entry, ids, short, subjectSuite, T0, type Subject } from './event-index-entries.ts';

/**
 * Runs the EventIndex contract against the adapter `makeSubject` builds (a fresh, empty index per test).
 *
 * @example
 * eventIndexContract('SqliteEventIndex', async () => ({ subject: new SqliteEventIndex(join(tempDir(), 'index.db'), { rangePageSize: 7 }), pageSize: 7 }));
 */
export function eventIndexContract(name: string, makeSubject: () => Promise<Subject>): void {
  const test = subjectSuite(`EventIndex contract: ${name}`, makeSubject);

  test('an empty index counts 0 and its last position is 0', async ({ index }) => {
    assert.is(await index.count(), 0);
    assert.is(await index.lastPosition(), 0);
  });

  test('put stores entries with increasing positions and get returns them as stored', async ({ index }) => {
    const stored = await index.put([entry(1, 0), entry(2, 5, { accounts: ['ACC-000001', 'ACC-000002'] })]);
    assert.ok(stored[0]!.position > 0 && stored[1]!.position > stored[0]!.position);
    const later = await index.put([entry(3, 1)]);
    assert.ok(later[0]!.position > stored[1]!.position);
    assert.equal(await index.get(entry(2, 5).id), stored[1]);
    assert.equal({ ...stored[1]!, position: 0 }, { ...entry(2, 5, { accounts: ['ACC-000001', 'ACC-000002'] }), position: 0 });
    assert.is(await index.get('cash_deposit_absent'), undefined);
    assert.is(await index.lastPosition(), later[0]!.position);
  });

  test('put is idempotent by id: a second put of an id leaves the first entry and position', async ({ index }) => {
    const [first] = await index.put([entry(1, 0)]);
    const [again] = await index.put([entry(1, 99, { size: 1 })]);
    assert.equal(again, first);
    assert.equal(await index.get(first!.id), first);
    assert.is(await index.count(), 1);
  });

  test('between is half-open: from inclusive, to exclusive', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 10), entry(3, 20)]);
    assert.equal((await ids(index, { from: T0, to: T0 + 20 })).map(short), [1, 2]);
    assert.equal((await ids(index, { from: T0 + 10, to: T0 + 21 })).map(short), [2, 3]);
    assert.equal(await ids(index, { from: T0 + 30, to: T0 + 40 }), []);
  });

  test('between orders by timestamp, then id, whatever the put order', async ({ index }) => {
    await index.put([entry(4, 10), entry(3, 0), entry(2, 10), entry(1, 20)]);
    assert.equal((await ids(index, { from: T0, to: T0 + 100 })).map(short), [3, 2, 4, 1]);
  });

  test('between filters by types', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 1, { type: 'cash_withdrawal' }), entry(3, 2, { type: 'incoming_payment' })]);
    assert.equal((await ids(index, { from: T0, to: T0 + 9, types: ['cash_withdrawal', 'incoming_payment'] })).map(short), [2, 3]);
    assert.equal(await ids(index, { from: T0, to: T0 + 9, types: [] }), []);
  });

  test('between filters by accounts, listing an event touching two of them once', async ({ index }) => {
    await index.put([
      entry(1, 0, { accounts: ['A'] }), entry(2, 1, { accounts: ['B'] }),
      entry(3, 2, { accounts: ['A', 'B'] }), entry(4, 3, { accounts: ['C'] }),
    ]);
    assert.equal((await ids(index, { from: T0, to: T0 + 9, accounts: ['A', 'B'] })).map(short), [1, 2, 3]);
    assert.equal((await ids(index, { from: T0, to: T0 + 9, accounts: ['C'] })).map(short), [4]);
    assert.equal((await ids(index, { from: T0 + 1, to: T0 + 3, accounts: ['A'] })).map(short), [3]);
  });

  test('between combines types and accounts', async ({ index }) => {
    await index.put([entry(1, 0, { accounts: ['A'] }), entry(2, 1, { accounts: ['A'], type: 'cash_withdrawal' }), entry(3, 2, { accounts: ['B'], type: 'cash_withdrawal' })]);
    assert.equal((await ids(index, { from: T0, to: T0 + 9, types: ['cash_withdrawal'], accounts: ['A'] })).map(short), [2]);
  });

  test('afterPosition pages through every entry once, in position order', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 0), entry(3, 0)]);
    await index.put([entry(4, 0), entry(5, 0)]);
    const seen: IndexEntry[] = [];
    let after = 0;
    for (let page = await index.afterPosition(after, 2); page.entries.length > 0; page = await index.afterPosition(after, 2)) {
      assert.ok(page.entries.length <= 2);
      seen.push(...page.entries);
      after = page.next;
    }
    assert.equal(seen.map((e) => short(e.id)), [1, 2, 3, 4, 5]);
    assert.is(after, await index.lastPosition());
  });

  test('afterPosition past the end returns no entries and the same position', async ({ index }) => {
    await index.put([entry(1, 0)]);
    const last = await index.lastPosition();
    assert.equal(await index.afterPosition(last, 10), { entries: [], next: last });
  });

  test('relocate points entries at new locations', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 1)]);
    const segment = 'events/year=2023/month=11/day=14/hour=22/segment.ndjson';
    await index.relocate([{ id: entry(1, 0).id, location: { key: segment, offset: 0, length: 150 } }, { id: entry(2, 1).id, location: { key: segment, offset: 151, length: 160 } }]);
    assert.equal((await index.get(entry(2, 1).id))!.location, { key: segment, offset: 151, length: 160 });
    assert.equal((await index.objects()).map((o) => [o.key, o.events]), [[segment, 2]]);
  });

  test('relocate is all or nothing: an unknown id leaves every entry where it was', async ({ index }) => {
    await index.put([entry(1, 0)]);
    const segment = { key: 'events/year=2023/month=11/day=14/hour=22/segment.ndjson', offset: 0, length: 150 };
    let failed = false;
    try {
      await index.relocate([{ id: entry(1, 0).id, location: segment }, { id: 'cash_deposit_absent', location: segment }]);
    } catch {
      failed = true;
    }
    assert.ok(failed, 'relocating an unknown id must fail');
    assert.equal((await index.get(entry(1, 0).id))!.location, entry(1, 0).location);
  });

  test('setObjectStorage changes every entry of that object and no other', async ({ index }) => {
    const segment = { key: 'events/year=2023/month=11/day=14/hour=22/segment.ndjson' };
    await index.put([entry(1, 0, { location: { ...segment, offset: 0, length: 9 } }), entry(2, 1, { location: { ...segment, offset: 10, length: 9 } }), entry(3, 2)]);
    await index.setObjectStorage(segment.key, 'GLACIER', 'RESTORING');
    const got = await Promise.all([1, 2, 3].map((n) => index.get(entry(n, 0).id)));
    assert.equal(got.map((e) => [e!.storageClass, e!.restore]), [['GLACIER', 'RESTORING'], ['GLACIER', 'RESTORING'], ['STANDARD', 'NONE']]);
  });

  test('objects lists each object once with its event count, bytes and newest timestamp', async ({ index }) => {
    const segment = { key: 'events/year=2023/month=11/day=14/hour=22/segment.ndjson' };
    await index.put([entry(1, 0, { location: { ...segment, offset: 0, length: 9 }, size: 10 }), entry(2, 7, { location: { ...segment, offset: 10, length: 9 }, size: 20 }), entry(3, 2)]);
    const objects = await index.objects();
    const bySegment = objects.find((o) => o.key === segment.key);
    assert.equal(bySegment, { key: segment.key, storageClass: 'STANDARD', restore: 'NONE', events: 2, bytes: 30, maxTimestamp: T0 + 7 });
    assert.is(objects.length, 2);
  });

  test('objects({ before }) keeps only objects whose events are all before it', async ({ index }) => {
    const segment = { key: 'events/year=2023/month=11/day=14/hour=22/segment.ndjson' };
    await index.put([entry(1, 0, { location: { ...segment, offset: 0, length: 9 } }), entry(2, 7, { location: { ...segment, offset: 10, length: 9 } }), entry(3, 2)]);
    assert.equal((await index.objects({ before: T0 + 7 })).map((o) => o.key), [entry(3, 2).location.key]);
    assert.is((await index.objects({ before: T0 + 8 })).length, 2);
  });

  test.run();
  eventIndexCursorContract(name, makeSubject);
  eventIndexPagingContract(name, makeSubject);
}
