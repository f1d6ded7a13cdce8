// DuckDbEventQuery: SQL over the local log's files with an in-process DuckDB, reading only the partitions a range needs.

// Types only: the package (a large native module) is imported at the first query (duckdb-engine.ts).
import type { DuckDBValue } from '@duckdb/node-api';
import { ClosedError, EventlakeError, InvalidArgumentError } from '../../domain/errors.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import { QUERY_CATALOGUE, bindQuery, queryCatalogue, type CatalogueQuery, type QueryParams, type QueryValue } from '../../domain/query-catalogue.ts';
import { accountSlotExpressions, type AccountDeclaration } from '../../domain/query-accounts.ts';
import { eventColumns, type EventColumn } from '../../domain/query-columns.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { WHOLE_LOG, replayParams } from '../../domain/query-params.ts';
import { isFolder } from './is-folder.ts';
import { dataDirLayout } from './layout.ts';
import { readableGlobs } from './duckdb-partitions.ts';
import { missingObjects, type UnreadableLookups } from './duckdb-unreadable.ts';
import { queryFailed } from './duckdb-failure.ts';
import { REPLAY_COLUMNS } from './duckdb-events-to-replay.ts';
import { scanCache, type CachedReplay, type CacheScanSource } from './duckdb-cache-scan.ts';
import type { DuckDbEngineLoader } from './duckdb-engine.ts';
import { DuckDbEngineSlot } from './duckdb-engine-slot.ts';
import { readableFolders, runReadOnly } from './duckdb-sandbox.ts';
import { ObjectCache } from './duckdb-object-cache.ts';
import { assertGlobSafe, eventsViewSql } from './duckdb-view.ts';
import { assertDuckDbOptions } from './duckdb-options.ts';

export interface DuckDbEventQueryOptions {
  /** The local data directory (`<dataDir>/events`, `restored/`, `archive/`). */
  readonly dataDir: string;
  /** Fields of user event types, beyond the built-in columns. */
  readonly extraColumns?: readonly EventColumn[];
  /** Named queries; default the built-in catalogue (over `accounts`). */
  readonly catalogue?: Readonly<Record<string, CatalogueQuery>>;
  /** Account fields user schemas declare (`accountDeclarations(registry)`): the catalogue's account filters and the cache read them. */
  readonly accounts?: readonly AccountDeclaration[];
  /**
   * Rows of object files eventsBetween keeps in memory (least recently used dropped first); 0 turns the cache
   * off. Default 1,000,000 (≈ 240 bytes a row, so ≈ 240 MB when full).
   */
  readonly cacheRows?: number;
  /**
   * Of the range's unrestored archived objects, those known to hold no event in the range (the index knows; folders
   * only know hours), left out of `unreadable` so a partial-hour range does not ask for a needless restore, as on AWS.
   * Without it, every unrestored archived object of an hour the range touches is reported.
   */
  readonly withoutEventsIn?: UnreadableLookups['withoutEventsIn'];
  /**
   * The archive tier's restore state of `keys` (wire `ArchiveTier.storage`), asked only about the objects left in
   * `unreadable`, to fill `restoring`. Without it, `restoring` is absent.
   */
  readonly restores?: UnreadableLookups['restores'];
}

/**
 * The EventQuery port on DuckDB. Each query first points the view `events` at the objects of its time range
 * (hot objects and restored copies, by path globs), and reports the range's unrestored archived objects in
 * `unreadable` (and, given `restores`, those being restored in `restoring`). One DuckDB instance and connection
 * serve every query, one query at a time.
 *
 * eventsBetween (the catalogue's events_to_replay, when the catalogue is the built-in one over `accounts`) is answered from a
 * columnar cache of the range's object files: each file is parsed once by DuckDB, and served again only while
 * its identity (inode, size, mtime, ctime) is unchanged. Whatever the cache cannot answer exactly runs as SQL.
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
  /** The events_to_replay the cache answers (with the account slots below), and those slots. */
  private readonly replay: { readonly query: CatalogueQuery | undefined; readonly slots: readonly [string, string] | undefined };
  private readonly engine: DuckDbEngineSlot;
  /** All DuckDB may read (the engine is locked down to them). */
  private readonly folders: readonly string[];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly cache: ObjectCache | undefined;
  private readonly lookups: UnreadableLookups;
  private readonly scanSource: CacheScanSource;

  /**
   * Throws `InvalidArgumentError` on `dataDir` when it is not a folder (every query would answer no rows), and naming
   * the option for an unknown one (`extracolumns`) or one of the wrong type.
   * `loadEngine` loads DuckDB at the first query (tests pass one that fails).
   */
  constructor(options: DuckDbEventQueryOptions, loadEngine?: DuckDbEngineLoader) {
    assertDuckDbOptions(options);
    this.root = dataDirLayout(options.dataDir).root;
    if (!isFolder(this.root)) {
      throw new InvalidArgumentError('dataDir', `${this.root} does not exist or is not a folder, so every query would answer no rows: ` +
        'give the data dir eventlake writes to (the dataDir of openLocalEventlake)');
    }
    assertGlobSafe(this.root);
    this.folders = readableFolders(this.root);
    this.engine = new DuckDbEngineSlot(this.folders, loadEngine);
    this.columns = eventColumns(options.extraColumns);
    const own = options.accounts?.length ? queryCatalogue(options.accounts) : QUERY_CATALOGUE;
    this.catalogue = options.catalogue ?? own;
    this.replay = { query: own['events_to_replay'], slots: options.accounts?.length ? accountSlotExpressions(options.accounts, 'r.') : undefined };
    const cacheRows = options.cacheRows ?? 1_000_000;
    this.cache = cacheRows > 0 ? new ObjectCache(cacheRows) : undefined;
    this.lookups = {
      ...(options.withoutEventsIn ? { withoutEventsIn: options.withoutEventsIn } : {}),
      ...(options.restores ? { restores: options.restores } : {}),
    };
    this.scanSource = { root: this.root, lookups: this.lookups, columns: this.columns, slots: this.replay.slots, connection: async () => (await this.engine.open()).connection };
  }

  eventsBetween(query: TimeRangeQuery): Promise<QueryResult> {
    const params = replayParams(query);
    if (params === undefined) return Promise.resolve({ columns: [], rows: [], stats: {}, unreadable: [], ...(this.lookups.restores ? { restoring: [] } : {}) });
    if (this.cache === undefined || this.catalogue['events_to_replay'] !== this.replay.query) {
      return this.named('events_to_replay', params);
    }
    let bound: ReturnType<typeof bindQuery>;
    try {
      bound = bindQuery(this.catalogue, 'events_to_replay', params);
    } catch (error) {
      return Promise.reject(error as Error); // a bad argument rejects, as `named` does, rather than throwing
    }
    return this.enqueue(() => this.replayFromCache(this.cache!, bound.range, bound.sql, bound.values));
  }

  async named(name: string, params: QueryParams): Promise<QueryResult> {
    const bound = bindQuery(this.catalogue, name, params);
    return this.run(bound.range, bound.sql, bound.values);
  }

  /** `events` spans the whole log here. Only one SELECT runs: anything else is an `InvalidArgumentError` on `query`. */
  sql(text: string, params: readonly QueryValue[] = []): Promise<QueryResult> {
    return this.run(WHOLE_LOG, text, params, true);
  }

  /**
   * Stop the statement DuckDB runs now (`connection.interrupt()`; its query rejects with QUERY_FAILED). Nothing happens
   * while none runs (between statements), so a caller with a time limit calls it until its query settles (query --timeout).
   */
  interrupt(): void {
    this.engine.interrupt();
  }

  /** Resolves once DuckDB is closed, for every call; queries queued before it still run. */
  close(): Promise<void> {
    this.closed = true;
    return this.engine.close(this.queue);
  }

  /** `raw`: a caller's SQL, held to one SELECT; the catalogue's own SQL is not. */
  private run(range: TimeRange, sql: string, params: readonly QueryValue[], raw = false): Promise<QueryResult> {
    return this.enqueue(() => this.runNow(range, sql, params, raw));
  }

  // Queries share the view `events` (and the cache), so they run one after the other.
  private enqueue(fn: () => Promise<QueryResult>): Promise<QueryResult> {
    // As every port of a closed runtime refuses: a QUERY_FAILED read as a failed query, and named no way on.
    if (this.closed) return Promise.reject(new ClosedError(`the DuckDB query engine on ${this.root}`, `query with a new DuckDbEventQuery({ dataDir: '${this.root}' })`));
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** events_to_replay from cached rows; as SQL (runNow) when a file cannot be listed, cached or answered exactly. */
  private async replayFromCache(cache: ObjectCache, range: TimeRange, sql: string, values: readonly QueryValue[]): Promise<QueryResult> {
    const started = performance.now();
    let answer: CachedReplay | undefined;
    try {
      answer = await scanCache(this.scanSource, cache, range, values);
    } catch (error) {
      if (error instanceof EventlakeError) throw error;
      throw queryFailed("reading the log's objects failed", error);
    }
    if (answer === undefined) return this.runNow(range, sql, values);
    return { columns: [...REPLAY_COLUMNS], rows: answer.rows, stats: { engineMs: Math.round(performance.now() - started) }, ...answer.missing };
  }

  private async runNow(range: TimeRange, sql: string, params: readonly QueryValue[], raw = false): Promise<QueryResult> {
    const started = performance.now();
    try {
      const { connection, plainRows } = await this.engine.open();
      const missing = await missingObjects(this.root, range, this.lookups);
      await connection.run(eventsViewSql(readableGlobs(this.root, range), this.columns));
      // Whole numbers bind as BIGINT: a JS number would bind as DOUBLE.
      const values: DuckDBValue[] = params.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v));
      const reader = raw ? await runReadOnly(connection, sql, values, this.folders) : await connection.runAndReadAll(sql, values);
      return {
        columns: reader.columnNames(),
        rows: plainRows(reader.deduplicatedColumnNames(), reader.getColumns()),
        stats: { engineMs: Math.round(performance.now() - started) },
        ...missing,
      };
    } catch (error) {
      if (error instanceof EventlakeError) throw error;
      throw queryFailed('DuckDB query failed', error);
    }
  }
}
