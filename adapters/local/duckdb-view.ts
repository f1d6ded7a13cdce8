// The `events` view DuckDB queries run against: NDJSON objects of the chosen partitions, read with one fixed schema.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { ColumnType, EventColumn } from '../../domain/query-columns.ts';
import { PARTITION_COLUMNS } from '../../domain/query-columns.ts';

const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  'map<string,int>': 'MAP(VARCHAR, INTEGER)',
};

/** A SQL string literal. Only our own text goes through it (paths, column names), never a user's value. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Glob metacharacters in the data dir would widen every glob, so such a folder is refused up front. */
export function assertGlobSafe(dir: string): void {
  if (/[*?[\]{}]/.test(dir)) {
    throw new InvalidArgumentError('dataDir', `${dir} contains a glob character (* ? [ ] { }); DuckDB would read it as a pattern`);
  }
}

/**
 * DDL of the temporary view `events` over `globs`. Why an explicit schema: with auto-detection each file's types
 * are guessed from its own lines, so files of different event types do not union; here a field an event lacks is
 * NULL. `"$path"` mirrors Athena's hidden column, so the catalogue's SQL reads the object path the same way on both.
 * With no globs (an empty range) the view is an empty relation of the same columns.
 */
export function eventsViewSql(globs: readonly string[], columns: readonly EventColumn[]): string {
  const head = 'CREATE OR REPLACE TEMP VIEW events AS ';
  if (globs.length === 0) {
    const cols = [
      ...columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPES[c.type]}) AS "${c.name}"`),
      ...PARTITION_COLUMNS.map((p) => `CAST(NULL AS VARCHAR) AS "${p}"`),
      'CAST(NULL AS VARCHAR) AS "$path"',
    ];
    return `${head}SELECT ${cols.join(', ')} WHERE false`;
  }
  const hive = PARTITION_COLUMNS.map((p) => `${literal(p)}: 'VARCHAR'`).join(', ');
  return `${head}SELECT * EXCLUDE (filename), filename AS "$path" FROM read_json([${globs.map(literal).join(', ')}], ` +
    `columns = {${schemaSql(columns)}}, format = 'newline_delimited', hive_partitioning = true, hive_types = {${hive}}, filename = true)`;
}

function schemaSql(columns: readonly EventColumn[]): string {
  return columns.map((c) => `${literal(c.name)}: ${literal(DUCKDB_TYPES[c.type])}`).join(', ');
}

/**
 * A query reading the fields the columnar cache keeps from `files` (paths, not globs), parsed with the view's
 * schema so that the same bytes give the same values, or the same error, as through the view. `f` is the 1-based
 * position of the row's file in `files`.
 */
export function cacheLoadSql(files: readonly string[], columns: readonly EventColumn[]): string {
  // A hash join numbers the rows' files: list_position would compare each row with every path of the batch.
  const numbers = files.map((f, i) => `(${literal(f)}, ${i + 1})`).join(', ');
  return `SELECT n.f, r.EventType, r.RequestId, r.EventTimeStamp, r.SourceAccount, r.TargetAccount ` +
    `FROM read_json([${files.map(literal).join(', ')}], columns = {${schemaSql(columns)}}, format = 'newline_delimited', ` +
    `hive_partitioning = false, filename = true) r LEFT JOIN (VALUES ${numbers}) n(path, f) ON r.filename = n.path`;
}
