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

const pad = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

// Any length: a count of milliseconds (13 digits) is refused with its value in seconds, not as "not a time".
const EPOCH_SECONDS = /^\d{1,20}$/;
// Groups: year, month, day, hour, minute, second, zone.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days of `month` (1-12) in `year` of the proleptic Gregorian calendar, as ISO-8601 and Date use. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Refuses the fields of an ISO-8601 time that Date.parse would read as another time or call unparsable although the
 * fix is plain: a day past its month's end (Date.parse rolls `2024-02-30` over to March 1st, silently), a month or day
 * 00 or a month past 12, and second 60 (a leap second). Hours and minutes out of range Date.parse refuses itself.
 */
function assertCalendarFields(m: RegExpExecArray, value: string, argument: string): void {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const quoted = JSON.stringify(value);
  if (month < 1 || month > 12) {
    throw new InvalidArgumentError(argument, `${quoted} is not a calendar date: month ${m[2]} does not exist, so give a month from 01 to 12`);
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    // Past the end, name both dates the caller may have meant: the month's last day and the one Date.parse made of it.
    const next = month === 12 ? `${pad4(year + 1)}-01-01` : `${pad4(year)}-${pad(month + 1)}-01`;
    const meant = day > last ? ` (its last day is ${pad4(year)}-${pad(month)}-${last}, the day after it ${next})` : '';
    throw new InvalidArgumentError(argument, `${quoted} is not a calendar date: ${MONTHS[month - 1]} ${year} has ${last} days, so give a day from 01 to ${last}${meant}`);
  }
  if (m[6] === '60' && Number(m[4]) <= 23 && Number(m[5]) <= 59) {
    // Epoch seconds (POSIX time) count every day as 86,400 seconds: a leap second has no number of its own.
    const before = value.trim().replace(/([T ]\d{2}:\d{2}):60(?:\.\d+)?/i, '$1:59');
    throw new InvalidArgumentError(argument, `${quoted} is a leap second (second 60), and epoch seconds have no leap second: ` +
      `give ${before}, the second before it`);
  }
}

/** `epochSeconds` as ISO-8601 UTC, whole seconds without `.000`, for messages (a number no Date holds, as itself). */
function isoSeconds(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? `epoch second ${epochSeconds}` : date.toISOString().replace('.000Z', 'Z');
}

/**
 * Epoch seconds of a time argument: a number or digit string of epoch seconds, or ISO-8601
 * (`2024-03-07`, `2024-03-07T09:30Z`). A date-time without a zone is read as UTC, never as local time,
 * so the same command gives the same range on every machine. A fraction of a second is rounded up: events have whole
 * seconds, so `t >= 09:59:59.5` (a since, inclusive) and `t < 09:59:59.5` (an until, exclusive) both mean
 * `t >= 10:00:00` and `t < 10:00:00`; cut down, a since took in the second before it and an until lost it.
 */
export function parseTime(value: string | number, argument: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new InvalidArgumentError(argument, `${value} is not whole epoch seconds >= 0`);
  }
  return Math.ceil(parseTimeMs(value, argument) / 1000);
}

/** Refuses epoch "seconds" past the log's end: milliseconds, most often (Date.now(), a snapshot's takenAt). */
function assertInLog(seconds: number, value: string, argument: string): void {
  if (seconds <= LOG_END) return;
  const quoted = JSON.stringify(value);
  const inSeconds = seconds / 1000;
  if (inSeconds > LOG_END) {
    throw new InvalidArgumentError(argument, `${quoted} is after the log's end (${LOG_END}, ${isoSeconds(LOG_END)}): give epoch seconds up to ${LOG_END} or an ISO-8601 time`);
  }
  throw new InvalidArgumentError(argument, `${quoted} looks like milliseconds: in seconds that is ${inSeconds} (${isoSeconds(inSeconds)}); ` +
    `give epoch seconds (at most ${LOG_END}, ${isoSeconds(LOG_END)}) or an ISO-8601 time`);
}

/**
 * Epoch ms of a time argument as `parseTime` reads it, keeping an ISO-8601 time's milliseconds
 * (`2026-11-27T08:17:27.114Z` is 1795767447114; epoch seconds and dates are whole seconds). For what is stamped in
 * ms, such as a snapshot's `takenAt`: cut to its second, a time pasted from `eventlake snapshot list` names the
 * second before that snapshot, and the snapshot is not at or before it.
 */
export function parseTimeMs(value: string, argument: string): number {
  const text = value.trim().replace(' ', 'T');
  if (EPOCH_SECONDS.test(text)) {
    assertInLog(Number(text), value, argument);
    return Number(text) * 1000;
  }
  const m = ISO_DATE.exec(text);
  if (m) assertCalendarFields(m, value, argument);
  const hasTime = /T\d/i.test(text);
  const ms = m ? Date.parse(m[7] || !hasTime ? text : `${text}Z`) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(argument, `${JSON.stringify(value)} is neither epoch seconds nor an ISO-8601 time such as 2024-03-07T09:00:00Z`);
  }
  if (ms < 0) {
    throw new InvalidArgumentError(argument, `${JSON.stringify(value)} is ${isoSeconds(ms / 1000)}, before 1970-01-01T00:00:00Z, the log's start: give that time or a later one`);
  }
  return ms;
}

/** Epoch ms of a time parameter: epoch seconds as a number, or the text `parseTimeMs` reads. */
function paramMs(value: string | number, argument: string): number {
  return typeof value === 'number' ? parseTime(value, argument) * 1000 : parseTimeMs(value, argument);
}

/**
 * The range of `from`/`to` (aliases `since`/`until`) in `params`; a missing end is the log's start or end. Bounds
 * less than a second apart (`…:59.2Z` to `…:59.7Z`) are a range with no whole second in it, answered empty, not refused.
 */
export function rangeOf(params: Readonly<Record<string, string | number>>, required: boolean): TimeRange {
  const fromValue = params['from'] ?? params['since'];
  const toValue = params['to'] ?? params['until'];
  if (required && fromValue === undefined) throw new InvalidArgumentError('from', 'this query needs a start time (from / since)');
  const fromMs = fromValue === undefined ? LOG_START * 1000 : paramMs(fromValue, 'from');
  const toMs = toValue === undefined ? LOG_END * 1000 : paramMs(toValue, 'to');
  // Both names, since a CLI user typed --since/--until or --param from=/to= and this cannot tell which.
  if (toValue === undefined && fromMs >= toMs) {
    throw new InvalidArgumentError('from', `from (--since) ${isoSeconds(fromMs / 1000)} is past the log's last second, ${isoSeconds(LOG_END - 1)}: no event can be in the range; give an earlier from`);
  }
  if (fromMs >= toMs) {
    throw new InvalidArgumentError('to', `the range is empty: to (--until) ${isoSeconds(toMs / 1000)} must be after from (--since) ${isoSeconds(fromMs / 1000)}; ` +
      'the range is [from, to), so give a later to or an earlier from');
  }
  const [from, to] = [Math.ceil(fromMs / 1000), Math.ceil(toMs / 1000)];
  return { from: Math.max(from, LOG_START), to: Math.min(to, LOG_END) };
}

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
 * A list argument (`"a,b"`) as the `,a,b,` string the catalogue matches with `strpos`, or `''` for "any". Items are
 * trimmed ("a, b") and none may be empty. A `type` item is a name (letters, digits, _ . : -). An account item may hold
 * anything a schema lets an account hold (incoming_payment's SourceAccount allows spaces, and `events --account`
 * finds them) but the comma, which ends it: the SQL looks for `,item,`. Either is bound, never spliced into SQL.
 */
export function listValue(value: string | number | undefined, argument: string): string {
  if (value === undefined || value === '') return '';
  const items = String(value).split(',').map((s) => s.trim());
  const empty = items.indexOf('');
  if (empty >= 0) throw new InvalidArgumentError(argument, `${JSON.stringify(String(value))} has an empty name at item ${empty + 1}: give names separated by single commas`);
  const badType = argument === 'type' ? items.find((item) => !/^[A-Za-z0-9_.:-]{1,64}$/.test(item)) : undefined;
  if (badType !== undefined) throw new InvalidArgumentError(argument, `${JSON.stringify(badType)} is not an event type (letters, digits, _ . : -)`);
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
  // [t, t) holds nothing: what rangeOf answers for bounds within one second (…:59.2Z to …:59.7Z).
  if (matchesNothing(query.types) || matchesNothing(query.accounts) || query.from === query.to) return undefined;
  const types = named(query.types);
  const accounts = named(query.accounts);
  return {
    from: query.from,
    to: query.to,
    ...(types.length ? { type: types.join(',') } : {}),
    ...(accounts.length ? { account: accounts.join(',') } : {}),
  };
}
