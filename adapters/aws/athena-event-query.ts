// AthenaEventQuery: the catalogue's SQL on Athena over the Glue table of the log, with bound parameters.

import type { AthenaClient, ColumnInfo, Row } from '@aws-sdk/client-athena';
import { GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { InvalidArgumentError, QueryFailedError } from '../../domain/errors.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import type { CatalogueQuery, QueryParams, QueryValue } from '../../domain/query-catalogue.ts';
import { bindQuery, queryCatalogue } from '../../domain/query-catalogue.ts';
import type { AccountDeclaration } from '../../domain/query-accounts.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { replayParams } from '../../domain/query-params.ts';
import { columnNames, executionParameters, typedRows } from './athena-rows.ts';
import { athenaCall, waitForQuery } from './athena-query-wait.ts';
import { checkPollDelay } from '../../projections/longest-timer.ts';

export interface AthenaEventQueryOptions {
  readonly client: AthenaClient;
  readonly workGroup: string;
  /** Glue database holding the table `events` (see glue-table.ts). */
  readonly database: string;
  /** Default `AwsDataCatalog`. */
  readonly catalog?: string;
  /** `s3://…/` for results, when the workgroup does not enforce its own output location. */
  readonly outputLocation?: string;
  /** Give up (and stop the query) after this long. Default 5 minutes. */
  readonly timeoutMs?: number;
  /** First wait between status polls; it doubles up to `maxPollMs`. Defaults 250 ms and 5 s. */
  readonly firstPollMs?: number;
  readonly maxPollMs?: number;
  /**
   * Archived objects of a range with no restored copy. Athena skips them silently, so wire this to the index
   * (objects not readable by `isReadable`) to report them in `unreadable`: their keys, or the keys with those
   * whose restore is running, reported in `restoring` (DynamoDbEventIndex.unreadableWithRestores). Default: none known.
   * Called for range queries only, never for raw SQL (see `sql`).
   */
  readonly unreadable?: (range: TimeRange) => Promise<readonly string[] | Required<Pick<QueryResult, 'unreadable' | 'restoring'>>>;
  /** Named queries; default the built-in catalogue over `accounts`. */
  readonly catalogue?: Readonly<Record<string, CatalogueQuery>>;
  /**
   * Account fields the stack's schemas declare (`accountDeclarations(registry)` of the schema folders it was deployed
   * with): the catalogue's account filters read them, as the Glue table has their columns.
   */
  readonly accounts?: readonly AccountDeclaration[];
  /** For tests: the clock (ms) and the wait between polls. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const PAGE_SIZE = 1000;

const isKeyList = (found: readonly string[] | object): found is readonly string[] => Array.isArray(found);

/**
 * The EventQuery port on Athena: StartQueryExecution with ExecutionParameters, polling with backoff until the
 * query ends, results paged into typed rows, and Athena's statistics in `stats`.
 *
 * @example
 * const query = new AthenaEventQuery({ client: new AthenaClient({}), workGroup: 'eventlake', database: 'eventlake' });
 * const r = await query.named('counts_per_type_per_day', { from: '2024-03-01', to: '2024-04-01' });
 * console.log(r.rows, r.stats.bytesScanned);
 */
export class AthenaEventQuery implements EventQuery {
  private readonly catalogue: Readonly<Record<string, CatalogueQuery>>;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  /** @throws InvalidArgumentError naming `firstPollMs`, `maxPollMs` or `timeoutMs` when one is not a wait in ms. */
  constructor(private readonly options: AthenaEventQueryOptions) {
    checkPollDelay('firstPollMs', options.firstPollMs, '250');
    checkPollDelay('maxPollMs', options.maxPollMs, '5000');
    if (options.timeoutMs !== undefined && !(typeof options.timeoutMs === 'number' && options.timeoutMs > 0 && Number.isFinite(options.timeoutMs))) {
      throw new InvalidArgumentError('timeoutMs', `must be ms > 0 to give up (and stop the query) after, e.g. 300000; got ${String(options.timeoutMs)}`);
    }
    this.catalogue = options.catalogue ?? queryCatalogue(options.accounts);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  eventsBetween(query: TimeRangeQuery): Promise<QueryResult> {
    // As in DuckDbEventQuery and every EventIndex, an empty name is ignored and a list of only empty names matches
    // nothing: `['']` bound as it is would read as "no filter" and answer every event of the range.
    const params = replayParams(query);
    if (params === undefined) return Promise.resolve({ columns: [], rows: [], stats: {}, unreadable: [] });
    return this.named('events_to_replay', params);
  }

  async named(name: string, params: QueryParams): Promise<QueryResult> {
    const bound = bindQuery(this.catalogue, name, params);
    return this.run(bound.range, bound.sql, bound.values);
  }

  /**
   * Raw SQL, without the `unreadable` lookup: its range is the whole log, which the index could only answer by reading
   * every entry (a consistent Scan, ≈ 3.5 GB per million events, on each query). `unreadable` is empty and `restoring`
   * absent: not checked, not "none". A range query (`eventsBetween`, `named`) reports them.
   */
  sql(text: string, params: readonly QueryValue[] = []): Promise<QueryResult> {
    return this.run(undefined, text, params);
  }

  /** Nothing to release: the injected client belongs to the caller. */
  async close(): Promise<void> {}

  private async run(range: TimeRange | undefined, sql: string, values: readonly QueryValue[]): Promise<QueryResult> {
    const parameters = executionParameters(values);
    const id = await athenaCall('starting the query', async () => {
      const out = await this.options.client.send(new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.options.workGroup,
        QueryExecutionContext: { Database: this.options.database, Catalog: this.options.catalog ?? 'AwsDataCatalog' },
        ...(parameters.length ? { ExecutionParameters: parameters } : {}),
        ...(this.options.outputLocation ? { ResultConfiguration: { OutputLocation: this.options.outputLocation } } : {}),
      }));
      if (!out.QueryExecutionId) throw new QueryFailedError('Athena returned no QueryExecutionId');
      return out.QueryExecutionId;
    });
    const execution = await waitForQuery({
      client: this.options.client, now: this.now, sleep: this.sleep, timeoutMs: this.options.timeoutMs ?? 300_000,
      firstPollMs: this.options.firstPollMs ?? 250, maxPollMs: this.options.maxPollMs ?? 5_000,
    }, id);
    const { columns, rows } = await this.results(id, execution.StatementType === 'DML');
    return {
      columns,
      rows,
      stats: {
        ...(execution.Statistics?.DataScannedInBytes !== undefined ? { bytesScanned: execution.Statistics.DataScannedInBytes } : {}),
        ...(execution.Statistics?.EngineExecutionTimeInMillis !== undefined ? { engineMs: execution.Statistics.EngineExecutionTimeInMillis } : {}),
      },
      ...(range ? await this.missing(range) : { unreadable: [], unreadableUnchecked: true }),
    };
  }

  private async missing(range: TimeRange | undefined): Promise<Pick<QueryResult, 'unreadable' | 'restoring'>> {
    const found = (range && await this.options.unreadable?.(range)) ?? [];
    if (isKeyList(found)) return { unreadable: [...found] };
    return { unreadable: [...found.unreadable], restoring: [...found.restoring] };
  }

  private async results(id: string, skipHeader: boolean): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
    let info: readonly ColumnInfo[] = [];
    const rows: Record<string, unknown>[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await athenaCall('reading results', () =>
        this.options.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) })));
      if (first) info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      rows.push(...typedRows(page.ResultSet?.Rows ?? ([] as Row[]), info, first && skipHeader));
      token = page.NextToken;
      first = false;
    } while (token);
    return { columns: columnNames(info), rows };
  }
}
