// Port: SQL over the event log (DuckDB locally, Athena in AWS).

import type { TimeRangeQuery } from './event-index.ts';

export interface QueryStats {
  /** Bytes the engine scanned (Athena bills by it). */
  readonly bytesScanned?: number;
  readonly engineMs?: number;
  /** Objects the engine opened. */
  readonly filesOpened?: number;
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  readonly stats: QueryStats;
  /** Archived objects in the range that are not restored, so their events are missing from the rows. */
  readonly unreadable: readonly string[];
  /**
   * Of `unreadable`, the objects whose restore is already requested and not done: they become readable without
   * another request (asking again fails on AWS with RestoreAlreadyInProgress). Absent when the engine was not told
   * restore states: unknown, not "none running".
   */
  readonly restoring?: readonly string[];
  /**
   * True when the engine did not look for archived objects at all (raw SQL on AWS: its range is the whole log), so an
   * empty `unreadable` means "not checked", not "none"; absent when it looked.
   */
  readonly unreadableUnchecked?: true;
}

/**
 * SQL over the log. Values are always bound as parameters.
 *
 * @example
 * const r = await query.eventsBetween({ from: t1, to: t2, types: ['cash_deposit'] });
 * const counts = await query.named('counts_per_type_per_day', { from: t1, to: t2 });
 */
export interface EventQuery {
  /** Identities and locations of the events in the range, ordered by (EventTimeStamp, id). */
  eventsBetween(query: TimeRangeQuery): Promise<QueryResult>;
  /** Run a query of the catalogue by name. */
  named(name: string, params: Readonly<Record<string, string | number>>): Promise<QueryResult>;
  /** Raw SQL for operators; `events` names the log's table. */
  sql(text: string, params?: readonly (string | number)[]): Promise<QueryResult>;
  close(): Promise<void>;
}
