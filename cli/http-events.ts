// GET /events: the index's entries of a time range, filtered, one bounded page at a time.

import type { FastifyInstance } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { EventIndex, IndexEntry } from '../domain/ports/event-index.ts';
import { sendError } from './http-errors.ts';
import { parseEventsParams, type EventsParams } from './http-events-params.ts';

/** One page of GET /events, and the `after` of the page that follows (absent on the last page). */
export interface EventsPage {
  readonly entries: readonly IndexEntry[];
  readonly next?: string;
}

// The index's order is (timestamp, id) with ids compared as SQLite's BINARY collation does: UTF-8 bytes. JS's `<`
// compares UTF-16 units, which orders some characters outside the BMP differently.
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const isAfter = (entry: IndexEntry, cursor: IndexEntry): boolean =>
  entry.timestamp > cursor.timestamp || (entry.timestamp === cursor.timestamp && byteOrder(entry.id, cursor.id) > 0);

/**
 * At most `params.limit` entries of the range in index order, starting after the event `params.after`. Reads at most
 * `limit + 1` entries past the cursor, plus those sharing the cursor's second that come before it: the port's
 * `between` starts at a second, not at an id, so they are read and skipped.
 */
export async function eventsPage(index: EventIndex, params: EventsParams): Promise<EventsPage> {
  let from = params.from;
  let cursor: IndexEntry | undefined;
  if (params.after !== undefined) {
    cursor = await index.get(params.after);
    if (!cursor) throw new InvalidArgumentError('after', `${params.after} is no indexed event: give the next of the page before, unchanged, or leave after out for the first page`);
    from = Math.max(from, cursor.timestamp);
  }
  if (from >= params.to) return { entries: [] };
  const entries: IndexEntry[] = [];
  const query = { from, to: params.to, ...(params.types ? { types: params.types } : {}), ...(params.accounts ? { accounts: params.accounts } : {}) };
  for await (const entry of index.between(query)) {
    if (cursor && !isAfter(entry, cursor)) continue;
    // One past the page tells whether a next page exists without a second query.
    if (entries.length === params.limit) return { entries, next: entries[entries.length - 1]!.id };
    entries.push(entry);
  }
  return { entries };
}

/**
 * Register `GET /events?since=&until=&type=&account=&limit=&after=`: indexed events of [since, until) (default: the
 * log's start to now + 1 day), of any of the `type`s and touching any of the `account`s (both repeatable), in
 * (timestamp, id) order, caught up with the log first. At most `limit` events per answer (default 1000, at most
 * 10000); when more match, the answer's `next` is an event id: send the same query with `after=<next>` for the page
 * that follows, until an answer has no `next`. A parameter the route does not know (with the closest known one), one
 * that takes a single value given twice, an empty `type`/`account`/`after`, a bad time, a `limit` out of range and an
 * `after` that is no indexed event are each a 400 naming it.
 *
 * @example
 * // GET /events?since=2024-03-01&type=cash_deposit&limit=500  → { events: [...500], next: 'cash_deposit_…' }
 * // GET /events?since=2024-03-01&type=cash_deposit&limit=500&after=cash_deposit_…  → { events: [...] }
 */
export function registerEventsRoute(app: FastifyInstance, local: LocalEventlake, serially: <T>(work: () => Promise<T>) => Promise<T>): void {
  app.get('/events', async (request, reply) => {
    try {
      const params = parseEventsParams(request.query as Record<string, unknown>);
      await serially(() => local.catchUp());
      const page = await eventsPage(local.index, params);
      const events = page.entries.map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp, accounts: e.accounts, key: e.location.key, storageClass: e.storageClass }));
      return page.next === undefined ? { events } : { events, next: page.next };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
