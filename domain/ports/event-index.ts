// Port: the metadata index of the log (SQLite locally, DynamoDB in AWS): S3 cannot filter a listing, the index can.

import { InvalidArgumentError } from '../errors.ts';
import type { EventLocation } from './event-log.ts';
import type { RestoreState, StorageClass } from './storage.ts';

/** One indexed event. */
export interface IndexEntry {
  readonly id: string;
  readonly type: string;
  /** `EventTimeStamp`, epoch seconds. */
  readonly timestamp: number;
  readonly accounts: readonly string[];
  readonly location: EventLocation;
  /** Bytes of the event's serialized form. */
  readonly size: number;
  /**
   * `contentDigest` of the event's canonical bytes (projections/event-digest.ts): how a resend is compared with a copy
   * that cannot be read (archived). Absent on entries an index recorded before digests existed, until a repair.
   */
  readonly digest?: string;
  readonly storageClass: StorageClass;
  readonly restore: RestoreState;
  /**
   * Ingestion position: increases with the order events were indexed (a sequence locally, epoch ms in AWS).
   * Dispatch tails and snapshot high-water marks are positions.
   */
  readonly position: number;
}

/** An entry before the index assigns its position. */
export type NewIndexEntry = Omit<IndexEntry, 'position'>;

/** A position in (timestamp, id) order; ids compare by their UTF-8 bytes. The id need not be indexed. */
export interface RangeCursor {
  readonly timestamp: number;
  readonly id: string;
}

/** Filters of a time-range lookup. `from` inclusive, `to` exclusive, epoch seconds. */
export interface TimeRangeQuery {
  readonly from: number;
  readonly to: number;
  readonly types?: readonly string[];
  readonly accounts?: readonly string[];
}

/** A time-range lookup of the index, optionally continuing after a cursor. */
export interface IndexRangeQuery extends TimeRangeQuery {
  /**
   * Exclusive: only entries after this position in (timestamp, id) order, read from there (a page that continues
   * after a cursor reads none of the entries before it, even many in the cursor's own second).
   */
  readonly after?: RangeCursor;
}

/** Refuse a cursor that is no position (`InvalidArgumentError`): adapters would otherwise read garbage bounds. */
export function checkRangeCursor(after: RangeCursor | undefined): void {
  if (after && (!Number.isFinite(after.timestamp) || typeof after.id !== 'string')) {
    throw new InvalidArgumentError('after', `a range cursor is an EventTimeStamp in epoch seconds and an id (got ${String(after.timestamp)}, ${String(after.id)}): give an entry's timestamp and id`);
  }
}

/** 2100-01-01T00:00:00Z in epoch seconds, the schemas' upper bound of an EventTimeStamp. */
export const MAX_RANGE_SECONDS = 4_102_444_800;

/** 1e11: in epoch seconds the year 5138, in epoch ms 1973-03-03; a bound at or above it is epoch ms. */
const MS_RANGE_FLOOR = 1e11;

/**
 * Refuse range bounds that are no epoch seconds (`InvalidArgumentError` naming `from` or `to`): not a finite number,
 * or 1e11 or more (epoch ms of any time after 1973-03-03). Why: a bound in epoch ms (`Date.now()`) lies past every
 * event, so the lookup answered nothing, silently; a non-number one failed far away.
 *
 * @example
 * checkRangeBounds({ from: 1714000000, to: 1714003600 }); // passes
 * checkRangeBounds({ from: 1714000000000, to: 1714003600000 }); // INVALID_ARGUMENT from: looks like epoch ms; give seconds
 */
export function checkRangeBounds(query: Pick<TimeRangeQuery, 'from' | 'to'>): void {
  for (const name of ['from', 'to'] as const) {
    const value: unknown = query[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(name, `must be a finite number of epoch seconds (an EventTimeStamp); got ${typeof value === 'number' ? value : typeof value}`);
    }
    // Only what can be nothing but ms is refused: a bound a little past 2100 (`--since 4102444801`, a lifecycle window
    // one hour past its cutoff) is seconds, and answers the events it covers: none past MAX_RANGE_SECONDS.
    if (value >= MS_RANGE_FLOOR) {
      throw new InvalidArgumentError(name, `${value} looks like epoch ms; give seconds: ${Math.floor(value / 1000)} (an EventTimeStamp is at most ${MAX_RANGE_SECONDS}, 2100-01-01)`);
    }
  }
}

/** A page of entries in position order, and the position to continue after. */
export interface PositionPage {
  readonly entries: readonly IndexEntry[];
  readonly next: number;
}

/**
 * The event index.
 *
 * @example
 * await index.put([{ id, type, timestamp, accounts, location, size, storageClass: 'STANDARD', restore: 'NONE' }]);
 * for await (const e of index.between({ from: t1, to: t2, accounts: ['DE-1234'] })) console.log(e.id);
 */
export interface EventIndex {
  /** Index new events; an id already indexed is left as it is. Returns the entries as stored. */
  put(entries: readonly NewIndexEntry[]): Promise<IndexEntry[]>;
  get(id: string): Promise<IndexEntry | undefined>;
  /** Entries in a time range, ordered by (timestamp, id), after `query.after` when given. */
  between(query: IndexRangeQuery): AsyncIterable<IndexEntry>;
  /** Entries with position > `after`, in position order, at most `limit`. */
  afterPosition(after: number, limit: number): Promise<PositionPage>;
  /** Highest position indexed so far (0 when empty). */
  lastPosition(): Promise<number>;
  /**
   * The highest position at or below which no entry can still appear: no put holding such a position is in flight,
   * and every entry committed at or below it is readable by position (`afterPosition`). A high-water mark (a rebuild's,
   * a snapshot's) must be one, or an entry committed below it later is never read. Only an index whose writers commit
   * out of position order has it (DynamoDB: concurrent indexer functions take positions before their transactions);
   * without it, `lastPosition()` is settled.
   */
  settledPosition?(): Promise<number>;
  /**
   * Milliseconds after a wall-clock moment until every entry committed before that moment is at or below
   * `settledPosition()`. A promotion waits this long after switching reads, then tops up: entries committed before the
   * switch went to the generation it replaced. Given with `settledPosition`; without them, nothing is waited for.
   */
  readonly settleMs?: number;
  /** Point entries at new locations (compaction). All or nothing. */
  relocate(moves: readonly { id: string; location: EventLocation }[]): Promise<void>;
  /** Record the storage class / restore state of every entry stored in `key`. */
  setObjectStorage(key: string, storageClass: StorageClass, restore: RestoreState): Promise<void>;
  /** Distinct object keys with their storage state and event count, optionally those whose events are all before `before`. */
  objects(options?: { before?: number }): Promise<{ key: string; storageClass: StorageClass; restore: RestoreState; events: number; bytes: number; maxTimestamp: number }[]>;
  count(): Promise<number>;
}
