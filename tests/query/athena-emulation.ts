// A mocked Athena (aws-sdk-client-mock) that runs the query text AthenaEventQuery sends, with its ExecutionParameters
// substituted as Athena substitutes them (as literals), on DuckDB over the local log's files laid out as the Glue
// table sees the bucket: lower-case column names, string partitions from the key, "$path" an s3:// URL.
//
// Why: Athena cannot run here. This checks what can be checked without it: the text and parameter encoding the
// adapter sends, that the Glue table has every column the catalogue reads, the copy dedup and object keys over S3
// paths, and that the adapter's typed rows equal the local adapter's plain rows. What Trino and the OpenX SerDe do
// differently from DuckDB is not checked (see the test file's header).

import { DuckDBDecimalType, DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { StartQueryExecutionCommandInput } from '@aws-sdk/client-athena';
import { eventLogTableInput } from '../../adapters/aws/glue-table.ts';
import { readableGlobs } from '../../adapters/local/duckdb-partitions.ts';
import { EVENT_COLUMNS } from '../../domain/query-columns.ts';
import { WHOLE_LOG } from '../../domain/query-params.ts';

export const BUCKET = 'eventlake-log';
/** Rows per result page: small, so that results of a few dozen rows span pages. */
const PAGE_ROWS = 25;
const GLUE = eventLogTableInput({ bucketName: BUCKET }).tableInput;
const DUCKDB_TYPE: Readonly<Record<string, string>> = {
  string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', boolean: 'BOOLEAN', 'map<string,int>': 'MAP(VARCHAR, INTEGER)',
};

/** `sql` with each `?` outside string literals replaced by the next parameter, as Athena's prepared statements do. */
export function substituteParameters(sql: string, parameters: readonly string[]): string {
  let out = '';
  let next = 0;
  let quoted = false;
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    if (ch === '?' && !quoted) {
      if (next >= parameters.length) throw new Error(`more ? than the ${parameters.length} ExecutionParameters`);
      out += parameters[next++];
    } else out += ch;
  }
  if (next !== parameters.length) throw new Error(`${parameters.length} ExecutionParameters for ${next} ?`);
  return out;
}

/**
 * The view `events` as the Glue table shows the bucket: only the table's columns, lower-case (the JSON keys are
 * matched case-insensitively), partitions as strings, and "$path" `s3://BUCKET/<key>` (a restored copy is the same
 * S3 object as its archived original, so its key drops `restored/`).
 */
function glueViewSql(dataDir: string): string {
  const globs = readableGlobs(dataDir, WHOLE_LOG);
  const schema = EVENT_COLUMNS.map((c) => `'${c.name}': '${DUCKDB_TYPE[c.type]}'`).join(', ');
  const columns = GLUE.storageDescriptor.columns.map((g) => {
    const c = EVENT_COLUMNS.find((e) => e.name.toLowerCase() === g.name);
    if (!c) throw new Error(`the Glue column ${g.name} is no event field`);
    return `"${c.name}" AS "${g.name}"`;
  });
  const partitions = GLUE.partitionKeys.map((p) => `"${p.name}"`);
  const key = `regexp_replace(substr(filename, ${dataDir.length + 2}), '^restored/', '')`;
  return `CREATE OR REPLACE VIEW events AS SELECT ${[...columns, ...partitions].join(', ')}, 's3://${BUCKET}/' || ${key} AS "$path" ` +
    `FROM read_json([${globs.map((g) => `'${g}'`).join(', ')}], columns = {${schema}}, format = 'newline_delimited', ` +
    `hive_partitioning = true, hive_types = {${partitions.map((p) => `'${p.slice(1, -1)}': 'VARCHAR'`).join(', ')}}, filename = true)`;
}

/** Athena's spelling of a DuckDB result type (`DECIMAL(18,2)` is `decimal`, with precision and scale apart). */
const athenaType = (duckdb: string) => duckdb.toLowerCase().replace(/\(.*$/, '');

/** Athena's first result page of a SELECT: the header row, then every value as text (NULL as no text). */
async function resultPage(connection: DuckDBConnection, sql: string) {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => athenaType(t.toString()));
  const decimals = reader.columnTypes().map((t) => (t instanceof DuckDBDecimalType ? { Precision: t.width, Scale: t.scale } : {}));
  const rows = reader.getRows().map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: String(v) })) }));
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: names.map((Name, i) => ({ Name, Label: Name, Type: types[i]!, ...decimals[i] })) },
      Rows: [{ Data: names.map((n) => ({ VarCharValue: n })) }, ...rows],
    },
  };
}

/** Mocks AthenaClient: each StartQueryExecution runs on DuckDB over `dataDir`; `sent` keeps what the adapter sent. */
export async function emulateAthena(dataDir: string): Promise<{ client: AthenaClient; sent: StartQueryExecutionCommandInput[]; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const mock = mockClient(AthenaClient);
  const sent: StartQueryExecutionCommandInput[] = [];
  const pages = new Map<string, Awaited<ReturnType<typeof resultPage>>>();
  mock.on(StartQueryExecutionCommand).callsFake(async (input: StartQueryExecutionCommandInput) => {
    sent.push(input);
    await connection.run(glueViewSql(dataDir));
    const id = `qe-${sent.length}`;
    pages.set(id, await resultPage(connection, substituteParameters(input.QueryString!, input.ExecutionParameters ?? [])));
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).callsFake(async (input: { QueryExecutionId: string }) =>
    ({ QueryExecution: { QueryExecutionId: input.QueryExecutionId, StatementType: 'DML', Status: { State: 'SUCCEEDED' } } }));
  // Pages of at most PAGE_ROWS (Athena's cap is 1,000): the header row only on the first, the rest by NextToken.
  mock.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId: string; MaxResults?: number; NextToken?: string }) => {
    const all = pages.get(input.QueryExecutionId)!;
    const start = Number(input.NextToken ?? 0);
    const end = start + Math.min(input.MaxResults ?? PAGE_ROWS, PAGE_ROWS);
    const Rows = all.ResultSet.Rows.slice(start, end);
    return { ResultSet: { ...all.ResultSet, Rows }, ...(end < all.ResultSet.Rows.length ? { NextToken: String(end) } : {}) };
  });
  return {
    client: new AthenaClient({ region: 'eu-west-1' }),
    sent,
    close() {
      mock.restore();
      connection.closeSync();
      instance.closeSync();
    },
  };
}
