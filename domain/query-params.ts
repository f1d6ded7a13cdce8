// Parameters of SQL over the log: time arguments, time ranges, and the partition values a range binds.

import { InvalidArgumentError } from './errors.ts';
import type { TimeRangeQuery } from './ports/event-index.ts';

/** First second the log can hold. */
export const LOG_START = 0;
/** End (exclusive) of the log's time span: the schemas accept `EventTimeStamp` up to 4102444800 (2100-01-01T00:00:00Z). */
export const LOG_END = 4_102_444_801;

/** A half-open span of epoch seconds: `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** The whole log. */
export const WHOLE_LOG: TimeRange = { from: LOG_START, to: LOG_END };

const EPOCH_SECONDS = /^\d{1,12}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch seconds of a time argument: a number or digit string of epoch seconds, or ISO-8601
 * (`2024-03-07`, `2024-03-07T09:30Z`). A date-time without a zone is read as UTC, never as local time,
 * so the same command gives the same range on every machine.
 */
export function parseTime(value: string | number, argument: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new InvalidArgumentError(argument, `${value} is not whole epoch seconds >= 0`);
  }
  const text = value.trim().replace(' ', 'T');
  if (EPOCH_SECONDS.test(text)) return Number(text);
  const m = ISO_DATE.exec(text);
  const hasTime = /T\d/i.test(text);
  const ms = m ? Date.parse(m[1] || !hasTime ? text : `${text}Z`) : Number.NaN;
  if (Number.isNaN(ms) || ms < 0) {
    throw new InvalidArgumentError(argument, `${JSON.stringify(value)} is neither epoch seconds nor an ISO-8601 time such as 2024-03-07T09:00:00Z`);
  }
  return Math.floor(ms / 1000);
}

/** The range of `from`/`to` (aliases `since`/`until`) in `params`; a missing end is the log's start or end. */
export function rangeOf(params: Readonly<Record<string, string | number>>, required: boolean): TimeRange {
  const fromValue = params['from'] ?? params['since'];
  const toValue = params['to'] ?? params['until'];
  if (required && fromValue === undefined) throw new InvalidArgumentError('from', 'this query needs a start time (from / since)');
  const from = fromValue === undefined ? LOG_START : parseTime(fromValue, 'from');
  const to = toValue === undefined ? LOG_END : parseTime(toValue, 'to');
  if (from >= to) throw new InvalidArgumentError('to', `the range is empty: to (${to}) must be after from (${from})`);
  return { from: Math.max(from, LOG_START), to: Math.min(to, LOG_END) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDDHH` of the hour partition that holds `epochSeconds`: the concatenated partition columns. */
export function hourKey(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`;
}

/**
 * The values bound by the range predicate of the catalogue (see RANGE_PREDICATE in query-catalogue.ts), in order:
 * first and last year, first and last hour key (strings, as the partition columns are), then from and to.
 */
export function rangeValues(range: TimeRange): [string, string, string, string, number, number] {
  const first = hourKey(range.from);
  const last = hourKey(range.to - 1);
  return [first.slice(0, 4), last.slice(0, 4), first, last, range.from, range.to];
}

/**
 * A list argument (`"a,b"`) as the `,a,b,` string the catalogue matches with `strpos`, or `''` for "any".
 * Items may not contain commas or spaces; event types and account numbers never do.
 */
export function listValue(value: string | number | undefined, argument: string): string {
  if (value === undefined || value === '') return '';
  const items = String(value).split(',').map((s) => s.trim());
  for (const item of items) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(item)) {
      throw new InvalidArgumentError(argument, `${JSON.stringify(item)} is not an event type or account (letters, digits, _ . : -)`);
    }
  }
  return `,${items.join(',')},`;
}

/**
 * The parameters of the catalogue's events_to_replay for an eventsBetween query, or `undefined` when the query
 * matches nothing. As in every EventIndex, a filter list names values to match: empty names in it are ignored, and a
 * list of only empty names matches nothing (the catalogue would read an empty parameter as "no filter"). Every
 * EventQuery adapter binds eventsBetween through this, so that they answer the same query alike.
 */
export function replayParams(query: TimeRangeQuery): Record<string, string | number> | undefined {
  const named = (list?: readonly string[]) => list?.filter((v) => v !== '') ?? [];
  const matchesNothing = (list?: readonly string[]) => list !== undefined && list.length > 0 && named(list).length === 0;
  if (matchesNothing(query.types) || matchesNothing(query.accounts)) return undefined;
  const types = named(query.types);
  const accounts = named(query.accounts);
  return {
    from: query.from,
    to: query.to,
    ...(types.length ? { type: types.join(',') } : {}),
    ...(accounts.length ? { account: accounts.join(',') } : {}),
  };
}
