// GET /events: the index's entries of a time range, filtered, one bounded page at a time.

import type { FastifyInstance } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import type { EventIndex, IndexEntry, RangeCursor } from '../domain/ports/event-index.ts';
import type { RangeHead } from '../projections/index-lookups.ts';
import { assertKnownEventTypes } from './event-type-filter.ts';
import { sendError } from './http-errors.ts';
import { parseEventsParams, type EventsParams } from './http-events-params.ts';

/** One page of GET /events, and the `after` of the page that follows (absent on the last page). */
export interface EventsPage {
  readonly entries: readonly IndexEntry[];
  readonly next?: string;
}

/**
 * At most `params.limit` entries of the range in index order, starting after the event `params.after`: the index
 * reads from just past that event (the port's `between` cursor), so a page reads at most `limit + 1` entries however
 * many share the cursor's second; an index with `firstEntries` (SqliteEventIndex) reads just those, in one statement.
 */
export async function eventsPage(index: EventIndex & Partial<RangeHead>, params: EventsParams): Promise<EventsPage> {
  let after: RangeCursor | undefined;
  if (params.after !== undefined) {
    const cursor = await index.get(params.after);
    if (!cursor) throw new InvalidArgumentError('after', `${params.after} is no indexed event: give the next of the page before, unchanged, or leave after out for the first page`);
    after = { timestamp: cursor.timestamp, id: cursor.id };
  }
  const query = { from: params.from, to: params.to, ...(params.types ? { types: params.types } : {}), ...(params.accounts ? { accounts: params.accounts } : {}), ...(after ? { after } : {}) };
  // One past the page tells whether a next page exists without a second query.
  const entries = index.firstEntries ? await index.firstEntries(query, params.limit + 1) : await head(index.between(query), params.limit + 1);
  if (entries.length <= params.limit) return { entries };
  entries.length = params.limit;
  return { entries, next: entries[params.limit - 1]!.id };
}

/** The first `count` entries of `range`, the rest left unread. */
async function head(range: AsyncIterable<IndexEntry>, count: number): Promise<IndexEntry[]> {
  const out: IndexEntry[] = [];
  for await (const entry of range) if (out.push(entry) === count) break;
  return out;
}

/**
 * Register `GET /events?since=&until=&type=&account=&limit=&after=`: indexed events of [since, until) (default: the
 * log's start to now + 1 day), of any of the `type`s and touching any of the `account`s (both repeatable), in
 * (timestamp, id) order, caught up with the log first. At most `limit` events per answer (default 1000, at most
 * 10000); when more match, the answer's `next` is an event id: send the same query with `after=<next>` for the page
 * that follows, until an answer has no `next`. A parameter the route does not know (with the closest known one), one
 * that takes a single value given twice, an empty `type`/`account`/`after`, a `type` no loaded schema declares and no
 * indexed event has, a bad time, a `limit` out of range and an `after` that is no indexed event are each a 400 naming it.
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
      await assertKnownEventTypes(params.types, local.registry.types().map((t) => t.type), local.index);
      const page = await eventsPage(local.index, params);
      const events = page.entries.map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp, accounts: e.accounts, key: e.location.key, storageClass: e.storageClass }));
      return page.next === undefined ? { events } : { events, next: page.next };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
