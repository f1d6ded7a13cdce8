// Contract of EventIndex reads that span pages: every adapter returns each entry once, in order, whichever way its
// storage pages (DynamoDB Query pages, SQLite keyset statements). Subjects are built with a small page size, so a
// few dozen entries cross many pages; where a subject counts continued pages, each case checks pages were crossed.

import * as assert from 'uvu/assert';
import type { EventIndex, IndexEntry, IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { entry, ids, short, subjectSuite, T0, type Subject, type SubjectContext } from './event-index-entries.ts';

/**
 * Assert that `read` answers `expected`, then (for a subject that counts them) that it continued at least one page:
 * a read that fit in one page proved nothing about paging.
 */
async function assertAcrossPages(ctx: SubjectContext, what: string, read: () => Promise<unknown>, expected: unknown): Promise<void> {
  const before = ctx.continuedPages?.();
  assert.equal(await read(), expected, what);
  if (before !== undefined) assert.ok(ctx.continuedPages!() > before, `${what}: read in a single page, so paging went untested`);
}

/** The ns of the entries `query` returns, in order. */
const shorts = (index: EventIndex, query: IndexRangeQuery) => async () => (await ids(index, query)).map(short);

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Runs the paging cases of the EventIndex contract against the adapter `makeSubject` builds (fresh per test). */
export function eventIndexPagingContract(name: string, makeSubject: () => Promise<Subject>): void {
  const test = subjectSuite(`EventIndex contract, reads across pages: ${name}`, makeSubject);

  test('between returns every entry of a range over several hours and two accounts once, in (timestamp, id) order', async (ctx) => {
    // 60 entries, 3 a second, 1,187 s apart: 7 hour buckets. Account A, B, then both; put newest first.
    const accounts = [['ACC-A'], ['ACC-B'], ['ACC-A', 'ACC-B']];
    await ctx.index.put(range(0, 60).reverse().map((n) => entry(n, Math.floor(n / 3) * 1_187, { accounts: accounts[n % 3]! })));
    const all = { from: T0, to: T0 + 86_400 };
    await assertAcrossPages(ctx, 'hours', shorts(ctx.index, all), range(0, 60));
    await assertAcrossPages(ctx, 'two accounts', shorts(ctx.index, { ...all, accounts: ['ACC-A', 'ACC-B'] }), range(0, 60));
    await assertAcrossPages(ctx, 'one account', shorts(ctx.index, { ...all, accounts: ['ACC-B'] }), range(0, 60).filter((n) => n % 3 > 0));
  });

  test('between returns every entry when a page ends exactly at the last one', async (ctx) => {
    const p = ctx.pageSize;
    await ctx.index.put(range(0, 2 * p).map((n) => entry(n, n)));
    await assertAcrossPages(ctx, 'hours', shorts(ctx.index, { from: T0, to: T0 + 3_600 }), range(0, 2 * p));
    await assertAcrossPages(ctx, 'account', shorts(ctx.index, { from: T0, to: T0 + 3_600, accounts: ['ACC-000001'] }), range(0, 2 * p));
    // The range itself ending at a page's end: its first page holds all of it.
    assert.equal((await ids(ctx.index, { from: T0, to: T0 + p })).map(short), range(0, p));
  });

  test('between after a cursor in the middle of a page returns exactly the rest, across the pages after it', async (ctx) => {
    const p = ctx.pageSize;
    await ctx.index.put(range(0, 3 * p + 2).map((n) => entry(n, 7)));
    const after = { timestamp: T0 + 7, id: entry(p + 3, 7).id };
    const rest = range(p + 4, 3 * p + 2);
    await assertAcrossPages(ctx, 'hours', shorts(ctx.index, { from: T0, to: T0 + 10, after }), rest);
    await assertAcrossPages(ctx, 'account', shorts(ctx.index, { from: T0, to: T0 + 10, after, accounts: ['ACC-000001'] }), rest);
  });

  test('between reads on past pages whose every entry the type filter drops', async (ctx) => {
    const p = ctx.pageSize;
    await ctx.index.put([...range(0, 2 * p).map((n) => entry(n, n, { type: 'cash_withdrawal' })), entry(2 * p, 2 * p), entry(2 * p + 1, 2 * p + 1)]);
    const deposits = { from: T0, to: T0 + 3_600, types: ['cash_deposit'] };
    await assertAcrossPages(ctx, 'hours', shorts(ctx.index, deposits), [2 * p, 2 * p + 1]);
    await assertAcrossPages(ctx, 'account', shorts(ctx.index, { ...deposits, accounts: ['ACC-000001'] }), [2 * p, 2 * p + 1]);
  });

  test('afterPosition pages of several storage pages return every entry once, in position order', async (ctx) => {
    const p = ctx.pageSize;
    const stored = await ctx.index.put(range(0, 60).map((n) => entry(n, n)));
    const everyPage = async () => {
      const seen: IndexEntry[] = [];
      for (let after = 0, page = await ctx.index.afterPosition(after, 3 * p); page.entries.length > 0; page = await ctx.index.afterPosition(after, 3 * p)) {
        seen.push(...page.entries);
        after = page.next;
      }
      return seen.map((e) => [e.position, short(e.id)]);
    };
    await assertAcrossPages(ctx, 'positions', everyPage, stored.map((e) => [e.position, short(e.id)]));
  });

  test.run();
}
