// Loading DuckDB for DuckDbEventQuery: the package (a large native module), one in-memory instance and its connection,
// imported at the first query so a program that imports eventlake/local and never queries does not load it.

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** The environment variable that caps DuckDB's query threads (default: DuckDB's own, one per core). */
export const DUCKDB_THREADS_ENV = 'EVENTLAKE_DUCKDB_THREADS';

/** DuckDB, once loaded: one instance and connection, and the converter of its values (it imports DuckDB too). */
export interface DuckDbEngine {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  readonly plainRows: typeof import('./duckdb-values.ts').plainRows;
}

/** How DuckDbEventQuery gets its engine: `loadDuckDbEngine`, or a test's stand-in. */
export type DuckDbEngineLoader = () => Promise<DuckDbEngine>;

/**
 * The `threads` setting `EVENTLAKE_DUCKDB_THREADS` asks for, or undefined when it is unset (or empty).
 * Why a cap: DuckDB runs each query on one thread per core, and a process sharing a small machine (a server beside
 * other work; the test suite, three files at once on two cores) spent ~30 % more CPU on the same small queries with
 * two threads than with one. Results do not depend on it: every query of the adapter orders its rows.
 *
 * @throws InvalidArgumentError naming the variable when it is not a whole number from 1 to 1024.
 */
export function duckDbThreads(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[DUCKDB_THREADS_ENV];
  if (raw === undefined || raw === '') return undefined;
  // Digits only (as cli/options.ts' wholeNumber, which adapters may not import): Number() reads ' 2' and '1e2' too.
  if (!/^[1-9][0-9]{0,3}$/.test(raw) || Number(raw) > 1024) {
    throw new InvalidArgumentError(DUCKDB_THREADS_ENV, `is ${JSON.stringify(raw)}, not a whole number of threads from 1 to 1024: set it to e.g. 1, or unset it for one thread per core`);
  }
  return Number(raw);
}

/**
 * Imports DuckDB and opens an in-memory instance and a UTC connection to it; an instance left without one is closed.
 * The engine is unrestricted here: DuckDbEngineSlot locks it down (duckdb-sandbox.ts) before its first query.
 *
 * @throws InvalidArgumentError when `EVENTLAKE_DUCKDB_THREADS` is set to anything but a whole number from 1 to 1024.
 */
export async function loadDuckDbEngine(): Promise<DuckDbEngine> {
  const threads = duckDbThreads();
  const [{ DuckDBInstance }, { plainRows }] = await Promise.all([import('@duckdb/node-api'), import('./duckdb-values.ts')]);
  const instance = await DuckDBInstance.create(':memory:', threads === undefined ? undefined : { threads: String(threads) });
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
