// Filling the columnar cache of DuckDbEventQuery: DuckDB parses a batch of object files with the events view's schema,
// and each file's rows are kept apart, checked against the file's identity after the read.

import type { DuckDBConnection } from '@duckdb/node-api';
import { OBJECT_KEY_PATTERN } from '../../domain/query-catalogue.ts';
import type { EventColumn } from '../../domain/query-columns.ts';
import { cachedObject, type LoadedRows, type ObjectCache } from './duckdb-object-cache.ts';
import { fileIdentity, type RangeFile } from './duckdb-range-files.ts';
import { cacheLoadSql } from './duckdb-view.ts';

/** Files per DuckDB query when the cache loads files (their paths are spelled out in the SQL). */
const LOAD_BATCH = 2_000;
const OBJECT_KEY = new RegExp(OBJECT_KEY_PATTERN);

/**
 * Parse `files` with DuckDB into the cache. False when the files cannot be read (the SQL path then reports
 * DuckDB's error) or one changed while it was read (its rows could be of either version).
 */
export async function loadIntoCache(connection: DuckDBConnection, cache: ObjectCache, files: readonly RangeFile[], eventColumns: readonly EventColumn[], slots?: readonly [string, string]): Promise<boolean> {
  for (let b = 0; b < files.length; b += LOAD_BATCH) {
    const batch = files.slice(b, b + LOAD_BATCH);
    let columns: unknown[][];
    try {
      columns = (await connection.runAndReadAll(cacheLoadSql(batch.map((f) => f.path), eventColumns, slots))).getColumns();
    } catch {
      return false;
    }
    const [f = [], texts = []] = columns;
    // Types and accounts repeat: one string each instead of one per row (≈ 100 bytes a cached row less).
    const pool = new Map<string, string>();
    const intern = (v: string | null): string | null => (v === null ? null : (pool.get(v) ?? (pool.set(v, v), v)));
    type Mutable = { -readonly [K in keyof LoadedRows]: (LoadedRows[K][number])[] };
    const perFile = batch.map((): Mutable => ({ types: [], requestIds: [], times: [], sources: [], targets: [] }));
    for (let g = 0; g < f.length; g++) {
      const rows = perFile[Number(f[g] ?? 0) - 1];
      if (rows === undefined) return false; // rows of no listed file (f NULL): let SQL answer
      const list = JSON.parse(String(texts[g])) as (string | null)[][];
      for (const [type = null, requestId = null, source = null, target = null, time = null] of list) {
        rows.types.push(intern(type)), rows.requestIds.push(requestId), rows.sources.push(intern(source)), rows.targets.push(intern(target));
        // BIGINT as text: Number() is exact up to 2^53; beyond, the row is not exact and SQL answers.
        rows.times.push(time === null ? null : Number(time));
      }
    }
    for (const [i, file] of batch.entries()) {
      if (fileIdentity(file.path) !== file.identity) return false;
      cache.set(file.path, cachedObject(file.identity, OBJECT_KEY.exec(file.path)?.[0] ?? '', perFile[i]!));
    }
  }
  return true;
}
