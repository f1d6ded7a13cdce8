// events_to_replay answered from DuckDbEventQuery's columnar cache: the range's object files, each parsed once (the
// files the cache lacks are loaded first), scanned in memory, or nothing when only SQL can answer exactly.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { QueryValue } from '../../domain/query-catalogue.ts';
import type { EventColumn } from '../../domain/query-columns.ts';
import type { TimeRange } from '../../domain/query-params.ts';
import { loadIntoCache } from './duckdb-cache-load.ts';
import { eventsToReplay, type ScanFile } from './duckdb-events-to-replay.ts';
import type { ObjectCache } from './duckdb-object-cache.ts';
import { rangeFiles } from './duckdb-range-files.ts';
import { missingObjects, type MissingObjects, type UnreadableLookups } from './duckdb-unreadable.ts';

/** What a cache scan reads: the data dir, its lookups, the events view's columns, and DuckDB to load files with. */
export interface CacheScanSource {
  readonly root: string;
  readonly lookups: UnreadableLookups;
  readonly columns: readonly EventColumn[];
  /** The account slots of user schemas (undefined: SourceAccount / TargetAccount). */
  readonly slots: readonly [string, string] | undefined;
  /** DuckDB's connection, loaded only when a file must be parsed. */
  readonly connection: () => Promise<DuckDBConnection>;
}

/** The rows of events_to_replay and the range's objects no one can read yet. */
export interface CachedReplay {
  readonly rows: Record<string, unknown>[];
  readonly missing: MissingObjects;
}

/**
 * The rows of events_to_replay over `range` from `cache` (loading the files it lacks), or undefined when a file
 * cannot be listed, loaded or answered exactly: the caller then runs the query as SQL.
 */
export async function scanCache(source: CacheScanSource, cache: ObjectCache, range: TimeRange, values: readonly QueryValue[]): Promise<CachedReplay | undefined> {
  const absent = await missingObjects(source.root, range, source.lookups);
  const files = rangeFiles(source.root, range);
  if (files === undefined) return undefined;
  const missing = files.filter((file) => cache.get(file.path, file.identity) === undefined);
  if (missing.length > 0 && !(await loadIntoCache(await source.connection(), cache, missing, source.columns, source.slots))) return undefined;
  const scan: ScanFile[] = [];
  for (const file of files) {
    const rows = cache.get(file.path, file.identity);
    if (rows === undefined || !rows.exact) return undefined;
    scan.push({ file, rows, shared: cache.isShared(file.path) });
  }
  const rows = eventsToReplay(scan, values);
  cache.trim();
  return { rows, missing: absent };
}
