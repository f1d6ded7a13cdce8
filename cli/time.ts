// Parsing of the CLI's and the HTTP API's time arguments: ISO-8601 (UTC unless a zone is given) or epoch seconds,
// and the range of an events listing.

import { InvalidArgumentError } from '../domain/errors.ts';
import { parseTime as parseTimeArgument, parseTimeMs as parseTimeMsArgument } from '../domain/query-params.ts';

/** Epoch seconds of `2024-03-01T00:00:00Z`, `2024-03-01` or `1709251200`; `option` names the flag in errors. */
export function parseTime(option: string, text: string): number {
  return parseTimeArgument(text, option);
}

/**
 * Epoch ms of the same arguments, an ISO-8601 time's milliseconds kept: for options that choose a snapshot (stamped
 * in ms), so the `takenAt` that `eventlake snapshot list` prints chooses that snapshot.
 *
 * @example
 * parseTimeMs('--snapshot-at', '2026-11-27T08:17:27.114Z'); // 1795767447114
 */
export function parseTimeMs(option: string, text: string): number {
  return parseTimeMsArgument(text, option);
}

/**
 * The half-open range [since, until) of `eventlake events` (`prefix` '--') and GET /events (''): since defaults to the
 * log's start, until to now + 1 day. Why bounds that are not a range are refused: an empty answer reads as "no
 * events there", and swapped bounds are a typo, not a question.
 */
export function eventsRange(since: string | undefined, until: string | undefined, prefix: '--' | ''): { from: number; to: number } {
  const from = since === undefined ? 0 : parseTime(`${prefix}since`, since);
  // Without an until, a since at or past the default end is a question about the future: nothing yet, not a typo (a
  // client tailing by timestamp asks it after an event dated at the edge of the allowed clock skew). An empty until
  // (an unset variable) is no until: parseTime refuses it naming the option, as it does an empty since.
  if (until === undefined) return { from, to: Math.max(from, Math.floor(Date.now() / 1000) + 86_400) };
  // Compared in ms: bounds within one second (…:59.2Z, …:59.7Z) are a range with no whole second in it, not swapped.
  const untilMs = parseTimeMs(`${prefix}until`, until);
  if (untilMs <= (since === undefined ? 0 : parseTimeMs(`${prefix}since`, since))) {
    throw new InvalidArgumentError(`${prefix}until`, `${until} is not after ${prefix}since ${since ?? 0}: the range is [${prefix}since, ${prefix}until), so give an ${prefix}until later than ${prefix}since`);
  }
  return { from, to: Math.max(from, Math.ceil(untilMs / 1000)) };
}
