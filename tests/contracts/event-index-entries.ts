// The entries and reads the EventIndex contract suites share.

import { suite } from 'uvu';
import type { EventIndex, IndexRangeQuery, NewIndexEntry } from '../../domain/ports/event-index.ts';

/**
 * An adapter under test, and how to drop what it made. `pageSize`: the entries per page its range reads were built
 * with, so paging cases put their entries across page boundaries (7 when absent). `continuedPages`: how many reads so
 * far continued a page storage cut short (DynamoDB: Queries with an ExclusiveStartKey), for adapters that count them.
 */
export type Subject = { subject: EventIndex; cleanup?: () => Promise<void>; pageSize?: number; continuedPages?: () => number };

/** What each test of a subject suite gets: the fresh index as `index`, and the subject's paging facts. */
export type SubjectContext = { index: EventIndex; cleanup?: () => Promise<void>; pageSize: number; continuedPages?: () => number };

/** A suite whose every test gets a fresh index from `makeSubject` as `ctx.index`, dropped after it. */
export function subjectSuite(title: string, makeSubject: () => Promise<Subject>) {
  const test = suite<SubjectContext>(title, { index: undefined as never, pageSize: 7 });
  test.before.each(async (ctx) => {
    const { subject, cleanup, pageSize, continuedPages } = await makeSubject();
    ctx.index = subject;
    ctx.cleanup = cleanup;
    ctx.pageSize = pageSize ?? 7;
    ctx.continuedPages = continuedPages;
  });
  test.after.each(async (ctx) => {
    await ctx.cleanup?.();
  });
  return test;
}

export const T0 = 1_700_000_000;

/** An index entry for a one-event object; `n` makes the id, `at` is seconds after T0. */
export function entry(n: number, at: number, changes: Partial<NewIndexEntry> = {}): NewIndexEntry {
  const id = `cash_deposit_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id, type: 'cash_deposit', timestamp: T0 + at, accounts: ['ACC-000001'],
    location: { key: `events/year=2023/month=11/day=14/hour=22/${id}.event` }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
    ...changes,
  };
}

/** Ids of the entries `index` answers for `query`, in its order. */
export async function ids(index: EventIndex, query: IndexRangeQuery): Promise<string[]> {
  const out: string[] = [];
  for await (const e of index.between(query)) out.push(e.id);
  return out;
}

/** The `n` an id of `entry` was made from. */
export const short = (id: string) => Number(id.slice(-12));
