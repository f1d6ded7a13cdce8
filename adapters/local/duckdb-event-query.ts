// DuckDbEventQuery: SQL over the local log's files with an in-process DuckDB, reading only the partitions a range needs.

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { EventlakeError, QueryFailedError } from '../../domain/errors.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import type { CatalogueQuery, QueryParams, QueryValue } from '../../domain/query-catalogue.ts';
import { QUERY_CATALOGUE, bindQuery } from '../../domain/query-catalogue.ts';
import type { EventColumn } from '../../domain/query-columns.ts';
import { eventColumns } from '../../domain/query-columns.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { WHOLE_LOG } from '../../domain/query-params.ts';
import { dataDirLayout } from './layout.ts';
import { readableGlobs, unreadableObjects } from './duckdb-partitions.ts';
import { plainRow } from './duckdb-values.ts';
import { assertGlobSafe, eventsViewSql } from './duckdb-view.ts';

export interface DuckDbEventQueryOptions {
  /** The local data directory (`<dataDir>/events`, `restored/`, `archive/`). */
  readonly dataDir: string;
  /** Fields of user event types, beyond the built-in columns. */
  readonly extraColumns?: readonly EventColumn[];
  /** Named queries; default the built-in catalogue. */
  readonly catalogue?: Readonly<Record<string, CatalogueQuery>>;
}

/**
 * The EventQuery port on DuckDB. Each query first points the view `events` at the objects of its time range
 * (hot objects and restored copies, by path globs), and reports the range's unrestored archived objects in
 * `unreadable`. One DuckDB instance and connection serve every query, one query at a time.
 *
 * @example
 * const query = new DuckDbEventQuery({ dataDir: './.eventlake' });
 * const r = await query.named('reconciliation_totals', { since: '2024-03-01', until: '2024-04-01' });
 * await query.close();
 */
export class DuckDbEventQuery implements EventQuery {
  private readonly root: string;
  private readonly columns: EventColumn[];
  private readonly catalogue: Readonly<Record<string, CatalogueQuery>>;
  private connection: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: DuckDbEventQueryOptions) {
    this.root = dataDirLayout(options.dataDir).root;
    assertGlobSafe(this.root);
    this.columns = eventColumns(options.extraColumns);
    this.catalogue = options.catalogue ?? QUERY_CATALOGUE;
  }

  eventsBetween(query: TimeRangeQuery): Promise<QueryResult> {
    // As in every EventIndex: a filter list names values to match, so a list of only empty names matches nothing
    // (the catalogue would read an empty parameter as "no filter").
    const empty = (list?: readonly string[]) => list !== undefined && list.length > 0 && list.every((v) => v === '');
    if (empty(query.types) || empty(query.accounts)) return Promise.resolve({ columns: [], rows: [], stats: {}, unreadable: [] });
    return this.named('events_to_replay', {
      from: query.from,
      to: query.to,
      ...(query.types?.length ? { type: query.types.filter(Boolean).join(',') } : {}),
      ...(query.accounts?.length ? { account: query.accounts.filter(Boolean).join(',') } : {}),
    });
  }

  async named(name: string, params: QueryParams): Promise<QueryResult> {
    const bound = bindQuery(this.catalogue, name, params);
    return this.run(bound.range, bound.sql, bound.values);
  }

  /** `events` spans the whole log here. */
  sql(text: string, params: readonly QueryValue[] = []): Promise<QueryResult> {
    return this.run(WHOLE_LOG, text, params);
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = this.connection;
    this.connection = undefined;
    await this.queue.catch(() => undefined);
    if (!open) return;
    const { instance, connection } = await open;
    connection.closeSync();
    instance.closeSync();
  }

  private open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    this.connection ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      return { instance, connection: await instance.connect() };
    })();
    return this.connection;
  }

  // Queries share the view `events`, so they run one after the other.
  private run(range: TimeRange, sql: string, params: readonly QueryValue[]): Promise<QueryResult> {
    if (this.closed) return Promise.reject(new QueryFailedError('DuckDbEventQuery is closed'));
    const next = this.queue.then(() => this.runNow(range, sql, params));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(range: TimeRange, sql: string, params: readonly QueryValue[]): Promise<QueryResult> {
    const started = performance.now();
    try {
      const { connection } = await this.open();
      const unreadable = unreadableObjects(this.root, range);
      await connection.run(eventsViewSql(readableGlobs(this.root, range), this.columns));
      // Whole numbers bind as BIGINT: a JS number would bind as DOUBLE.
      const values: DuckDBValue[] = params.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v));
      const reader = await connection.runAndReadAll(sql, values);
      return {
        columns: reader.columnNames(),
        rows: reader.getRowObjects().map(plainRow),
        stats: { engineMs: Math.round(performance.now() - started) },
        unreadable,
      };
    } catch (error) {
      if (error instanceof EventlakeError) throw error;
      throw new QueryFailedError(`DuckDB query failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
