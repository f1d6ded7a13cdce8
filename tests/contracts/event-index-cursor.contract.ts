// Contract of EventIndex.between's cursor (`after`): every adapter reads on from just past it, in (timestamp, id) order.

import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { entry, ids, short, subjectSuite, T0, type Subject } from './event-index-entries.ts';

/** Runs the cursor cases of the EventIndex contract against the adapter `makeSubject` builds (fresh per test). */
export function eventIndexCursorContract(name: string, makeSubject: () => Promise<Subject>): void {
  const test = subjectSuite(`EventIndex contract, range cursor: ${name}`, makeSubject);

  test('between after a cursor returns the entries of its second after its id, and none before it', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 5), entry(3, 5), entry(4, 5), entry(5, 9)]);
    const after = { timestamp: T0 + 5, id: entry(3, 5).id };
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after })).map(short), [4, 5]);
  });

  test('between after a cursor whose id is not indexed starts at its place in (timestamp, id) order', async ({ index }) => {
    await index.put([entry(1, 5), entry(3, 5), entry(4, 6)]);
    const absent = entry(2, 5).id;
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after: { timestamp: T0 + 5, id: absent } })).map(short), [3, 4]);
    // An id sorting after every id of its second: the next second follows.
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after: { timestamp: T0 + 5, id: `${entry(3, 5).id}~` } })).map(short), [4]);
  });

  test('between after a cursor keeps the range: from still bounds an earlier cursor, a cursor at or past to leaves nothing', async ({ index }) => {
    await index.put([entry(1, 0), entry(2, 5), entry(3, 6)]);
    assert.equal((await ids(index, { from: T0 + 5, to: T0 + 10, after: { timestamp: T0, id: entry(1, 0).id } })).map(short), [2, 3]);
    assert.equal(await ids(index, { from: T0, to: T0 + 6, after: { timestamp: T0 + 6, id: '' } }), []);
    assert.equal(await ids(index, { from: T0, to: T0 + 10, after: { timestamp: T0 + 3_600 * 5, id: '' } }), []);
  });

  test('between after a cursor combines with type and account filters', async ({ index }) => {
    await index.put([
      entry(1, 5, { accounts: ['A'] }), entry(2, 5, { accounts: ['A'], type: 'cash_withdrawal' }), entry(3, 5, { accounts: ['B'] }),
      entry(4, 5, { accounts: ['A', 'B'] }), entry(5, 6, { accounts: ['A'], type: 'cash_withdrawal' }),
    ]);
    const after = { timestamp: T0 + 5, id: entry(1, 5).id };
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after, accounts: ['A'] })).map(short), [2, 4, 5]);
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after, types: ['cash_withdrawal'] })).map(short), [2, 5]);
    assert.equal((await ids(index, { from: T0, to: T0 + 10, after, accounts: ['B'], types: ['cash_deposit'] })).map(short), [3, 4]);
  });

  test('between refuses a cursor whose timestamp is not a number, naming after', async ({ index }) => {
    await index.put([entry(1, 0)]);
    const error = await rejects(() => ids(index, { from: T0, to: T0 + 10, after: { timestamp: Number.NaN, id: entry(1, 0).id } }), InvalidArgumentError);
    assert.is(error.argument, 'after');
  });

  test('between refuses a from or to in epoch ms, naming it, with the hint to give seconds', async ({ index }) => {
    await index.put([entry(1, 0)]);
    const from = await rejects(() => ids(index, { from: T0 * 1000, to: T0 * 1000 + 10_000 }), InvalidArgumentError);
    assert.is(from.argument, 'from');
    assert.match(from.message, 'looks like epoch ms; give seconds');
    const to = await rejects(() => ids(index, { from: T0, to: Date.now() }), InvalidArgumentError);
    assert.is(to.argument, 'to');
  });

  test('between answers a range that starts or ends past 2100-01-01 in seconds (none of its events are there), not refused as ms', async ({ index }) => {
    await index.put([entry(1, 0)]);
    assert.equal(await ids(index, { from: 4_102_444_801, to: 4_102_448_400 }), []);
    assert.equal((await ids(index, { from: 0, to: 4_102_448_400 })).map(short), [1]);
  });

  test('between takes the whole log: from 0 to one past 2100-01-01', async ({ index }) => {
    await index.put([entry(1, 0)]);
    assert.equal((await ids(index, { from: 0, to: 4_102_444_801 })).map(short), [1]);
  });

  test('between refuses a bound that is not a finite number, naming it', async ({ index }) => {
    await index.put([entry(1, 0)]);
    const nan = await rejects(() => ids(index, { from: Number.NaN, to: T0 + 10 }), InvalidArgumentError);
    assert.is(nan.argument, 'from');
    const date = await rejects(() => ids(index, { from: T0, to: new Date() as unknown as number }), InvalidArgumentError);
    assert.is(date.argument, 'to');
  });

  test.run();
}
