// The query string of GET /events, read strictly: a parameter the route does not know, one given twice that takes one
// value, or an empty filter is a 400 naming it, never a wider answer than the client asked for.

import { InvalidArgumentError } from '../domain/errors.ts';
import { refuseUnknownParams } from './http-query-params.ts';
import { eventsRange } from './time.ts';

/** Events per page when `limit` is not given. */
export const DEFAULT_EVENTS_LIMIT = 1_000;
/** Largest `limit`: about 2 MB of JSON per page (an entry is ~200 bytes). */
export const MAX_EVENTS_LIMIT = 10_000;

/** What GET /events was asked, as the index reads it. */
export interface EventsParams {
  readonly from: number;
  readonly to: number;
  readonly types?: readonly string[];
  readonly accounts?: readonly string[];
  readonly limit: number;
  /** Id of the last event of the page before (its `next`): this page starts after it. */
  readonly after?: string;
}

// Filters may repeat (any of the values matches, as the CLI's repeatable --type/--account); the rest take one value.
const REPEATABLE = ['type', 'account'] as const;
const SINGLE = ['since', 'until', 'limit', 'after'] as const;
const KNOWN: readonly string[] = ['since', 'until', 'type', 'account', 'limit', 'after'];

const FILTER_EXAMPLE: Readonly<Record<(typeof REPEATABLE)[number], string>> = { type: 'an EventType such as cash_deposit', account: 'an account number such as DE44-5001-0517' };

const values = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function single(query: Record<string, unknown>, name: (typeof SINGLE)[number]): string | undefined {
  const given = values(query[name]);
  if (given.length > 1) throw new InvalidArgumentError(name, `is given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(', ')}): give it once`);
  return given[0];
}

function filter(query: Record<string, unknown>, name: (typeof REPEATABLE)[number]): string[] | undefined {
  const given = values(query[name]);
  // An unset variable in a client (`type=${TYPE}`) would otherwise match nothing and answer 200 with no events.
  if (given.some((v) => v === '')) throw new InvalidArgumentError(name, `is empty: give ${FILTER_EXAMPLE[name]} (repeat ${name}= for any of several), or leave ${name} out for every ${name}`);
  return given.length > 0 ? given : undefined;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_EVENTS_LIMIT;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new InvalidArgumentError('limit', `${JSON.stringify(text)} is not a number of events: give a whole number from 1 to ${MAX_EVENTS_LIMIT} (default ${DEFAULT_EVENTS_LIMIT})`);
  if (n > MAX_EVENTS_LIMIT) throw new InvalidArgumentError('limit', `${text} is over the largest page, ${MAX_EVENTS_LIMIT} events: give at most ${MAX_EVENTS_LIMIT} and fetch the next page with after= the answer's next`);
  return n;
}

/** Read GET /events' query string; `InvalidArgumentError` naming the parameter and its fix otherwise. */
export function parseEventsParams(query: Record<string, unknown>): EventsParams {
  refuseUnknownParams(query, 'GET /events', KNOWN);
  const { from, to } = eventsRange(single(query, 'since'), single(query, 'until'), '');
  const types = filter(query, 'type');
  const accounts = filter(query, 'account');
  const limit = limitOf(single(query, 'limit'));
  const after = single(query, 'after');
  if (after === '') throw new InvalidArgumentError('after', 'is empty: give the next of the page before (an event id), or leave after out for the first page');
  return { from, to, limit, ...(types ? { types } : {}), ...(accounts ? { accounts } : {}), ...(after !== undefined ? { after } : {}) };
}
