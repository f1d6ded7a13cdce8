// Loading DuckDB for DuckDbEventQuery: the package (a large native module), one in-memory instance and its connection,
// imported at the first query so a program that imports eventlake/local and never queries does not load it.

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** DuckDB, once loaded: one instance and connection, and the converter of its values (it imports DuckDB too). */
export interface DuckDbEngine {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  readonly plainRows: typeof import('./duckdb-values.ts').plainRows;
}

/** How DuckDbEventQuery gets its engine: `loadDuckDbEngine`, or a test's stand-in. */
export type DuckDbEngineLoader = () => Promise<DuckDbEngine>;

/**
 * Imports DuckDB and opens an in-memory instance and a UTC connection to it; an instance left without one is closed.
 * The engine is unrestricted here: DuckDbEngineSlot locks it down (duckdb-sandbox.ts) before its first query.
 */
export async function loadDuckDbEngine(): Promise<DuckDbEngine> {
  const [{ DuckDBInstance }, { plainRows }] = await Promise.all([import('@duckdb/node-api'), import('./duckdb-values.ts')]);
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    // Times in raw SQL read as on Athena (UTC) on every machine: DuckDB takes the process's TZ otherwise, and
    // CAST(to_timestamp(0) AS DATE) was 1969-12-31 under America/Los_Angeles. The setting is per connection, and
    // only SET works: TimeZone in the instance's config is read before the built-in ICU extension loads, and refused.
    await connection.run("SET TimeZone = 'UTC'");
    return { instance, connection, plainRows };
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}
