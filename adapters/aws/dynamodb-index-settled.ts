// The settled position of DynamoDbEventIndex: below it, no entry can still appear, although writers commit out of order.
//
// Why positions commit out of order: an indexer function takes each entry's position (its clock in µs plus a random
// tie-break) before its TransactWriteItems, and keeps it through the retries. Indexer functions run concurrently (one
// invocation per S3 object), so A can take p1, B take p2 > p1 and commit, a reader see p2 as the last position, and
// only then A commit at p1. Position reads go through a GSI too, which shows a committed entry a little later.
// `lastPosition()` is therefore no high-water mark: a mark at it may later have entries below it.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { LONGEST_TIMER_MS } from '../../projections/longest-timer.ts';

/**
 * Default `inFlightMs`: the indexer function's timeout (1 minute, infra/event-lake.ts HANDLER_TIMEOUT), within which
 * its transactions end, plus a minute for GSI propagation and clock skew between hosts.
 */
export const DEFAULT_IN_FLIGHT_MS = 120_000;

/** How much `settleMs` adds to `inFlightMs`: the millisecond an entry's position can be taken in, and some margin. */
const SETTLE_MARGIN_MS = 1000;

/** `inFlightMs` as given, or the default; `InvalidArgumentError` unless whole ms a promotion's wait can take. */
export function checkInFlightMs(value: number | undefined): number {
  if (value === undefined) return DEFAULT_IN_FLIGHT_MS;
  const longest = LONGEST_TIMER_MS - SETTLE_MARGIN_MS;
  if (!Number.isInteger(value) || value < 0 || value > longest) {
    throw new InvalidArgumentError('inFlightMs', `must be whole ms from 0 to ${longest} (the longest a promotion can wait), e.g. ${DEFAULT_IN_FLIGHT_MS}; got ${String(value)}`);
  }
  return value;
}

/** How long after a moment every entry committed before it is at or below `settledPosition` (EventIndex.settleMs). */
export function settleMsOf(inFlightMs: number): number {
  return inFlightMs + SETTLE_MARGIN_MS;
}

/**
 * The settled position: `last` (the highest readable), capped below every position a put still in flight can hold.
 *
 * Why nothing can still appear at or below it. A writer takes position p at its clock's ms t as
 * max(previous + 1, t*1000 + r) with 0 <= r <= 999: so p >= t*1000 whatever the tie-break, and however many positions
 * it took within one ms. An entry not yet readable now was taken at most `inFlightMs` ago (its function's timeout
 * bounds the transaction; GSI propagation and the skew between the writer's clock and ours are in the margin), so
 * t >= now - inFlightMs and p >= (now - inFlightMs)*1000 > cap. The -1 is for equality: an entry taken exactly
 * `inFlightMs` ago with a tie-break of 0 sits at (now - inFlightMs)*1000, and must stay above the cap. The min with
 * `last`: a mark is a position the index has reached (0 while it is empty), never one of the future.
 */
export function settledBelow(last: number, nowMs: number, inFlightMs: number): number {
  const cap = (Math.floor(nowMs) - inFlightMs) * 1000 - 1;
  return Math.max(0, Math.min(last, cap));
}
