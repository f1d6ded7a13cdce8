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
  'map<string,bigint>': 'MAP(VARCHAR, BIGINT)',
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
 * schema so that the same bytes give the same values, or the same error, as through the view. One row per file
 * with rows: `f`, the 1-based position of the file in `files` (NULL for a file not in the list), and `rows`, a
 * JSON array of `[EventType, RequestId, account slot 0, account slot 1, EventTimeStamp as text]`; the slots are the
 * catalogue's (`accountSlotExpressions(accounts, 'r.')`: SourceAccount and TargetAccount unless schemas declare
 * account fields), so the cache filters accounts as the SQL does. They name `r.`'s columns: `n` has `path` and `f`,
 * which a declared field may be called too.
 *
 * Why JSON per file: handing a VARCHAR to JS costs ≈ 1 µs per value, so four per row cost more than DuckDB's scan;
 * one JSON text per file and JSON.parse cost about a third of that. A hash join numbers the files (list_position
 * would compare every row with every path of the batch).
 */
export function cacheLoadSql(files: readonly string[], columns: readonly EventColumn[], slots: readonly [string, string] = ['r.SourceAccount', 'r.TargetAccount']): string {
  const numbers = files.map((f, i) => `(${literal(f)}, ${i + 1})`).join(', ');
  const scan = `read_json([${files.map(literal).join(', ')}], columns = {${schemaSql(columns)}}, ` +
    `format = 'newline_delimited', hive_partitioning = false, filename = true)`;
  return `SELECT n.f, CAST(to_json(list([r.EventType, r.RequestId, ${slots[0]}, ${slots[1]}, CAST(r.EventTimeStamp AS VARCHAR)])) AS VARCHAR) AS rows ` +
    `FROM ${scan} r LEFT JOIN (VALUES ${numbers}) n(path, f) ON r.filename = n.path GROUP BY n.f`;
}
