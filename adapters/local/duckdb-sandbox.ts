// The fence around raw SQL: once the engine's own setup is done, DuckDB reads only the log's readable folders, installs
// and loads nothing, and SQL cannot lift either; a caller's raw SQL runs only as one SELECT.

import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { join, sep } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { dataDirLayout } from './layout.ts';

/** DuckDB's wording when the fence refuses a path (reading, writing, ATTACH, INSTALL's extension folder). */
const FENCED = /file system operations are disabled by configuration|disabled through configuration/;

/**
 * The folders DuckDB may read: those `readableGlobs` and the cache read (hot objects, restored copies). The trailing
 * separator makes each a folder, not a name prefix (`events` would also admit `events-old/`).
 */
export function readableFolders(dataDir: string): string[] {
  const layout = dataDirLayout(dataDir);
  return [layout.events, join(layout.restored, 'events')].map((folder) => `${folder}${sep}`);
}

/**
 * Locks DuckDB down for the rest of the instance's life: files only under `folders`, no extension installed or
 * loaded on demand (INSTALL tried the network), and no SET undoing it. Run after the engine's own settings
 * (TimeZone): once locked, no setting changes. Order matters: allowed_directories cannot change once external
 * access is off. DuckDB offers no statement time limit setting: a runaway query ends with an interrupt
 * (DuckDbEventQuery.interrupt, `eventlake query --timeout`) or with the process.
 */
export async function lockDown(connection: DuckDBConnection, folders: readonly string[]): Promise<void> {
  const list = folders.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
  for (const statement of [
    `SET allowed_directories = [${list}]`,
    'SET enable_external_access = false',
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    'SET lock_configuration = true',
  ]) {
    await connection.run(statement);
  }
}

/**
 * Runs `sql` if it is one SELECT (WITH … SELECT, VALUES, FROM …, DESCRIBE and table PRAGMAs are SELECTs to DuckDB),
 * as DuckDB's parser and binder type it, not a regex. Throws `InvalidArgumentError` on `query` for several
 * statements, any other statement (COPY, ATTACH, INSTALL, SET, CREATE, EXPLAIN, whose ANALYZE runs its statement),
 * or a path outside `folders`; nothing has run then.
 */
export async function runReadOnly(connection: DuckDBConnection, sql: string, values: readonly DuckDBValue[], folders: readonly string[]): Promise<DuckDBResultReader> {
  const { StatementType } = await import('@duckdb/node-api');
  try {
    const extracted = await connection.extractStatements(sql);
    if (extracted.count !== 1) {
      throw new InvalidArgumentError('query', `raw SQL runs one read-only SELECT: this text holds ${extracted.count} statements; send one SELECT per query`);
    }
    const prepared = await extracted.prepare(0);
    try {
      const type = prepared.statementType;
      if (type !== StatementType.SELECT) {
        // DuckDB types INSTALL as LOAD.
        const name = type === StatementType.LOAD ? 'INSTALL or LOAD' : StatementType[type].replaceAll('_', ' ');
        throw new InvalidArgumentError('query', `raw SQL runs one read-only SELECT: this is a${/^[AEIOU]/.test(name) ? 'n' : ''} ${name} statement; ` +
          'query the view events with a SELECT (WITH … SELECT and VALUES are fine)');
      }
      if (values.length > 0) prepared.bind([...values]);
      return await prepared.runAndReadAll();
    } finally {
      prepared.destroySync();
    }
  } catch (error) {
    if (error instanceof InvalidArgumentError || !FENCED.test((error as Error).message)) throw error;
    throw new InvalidArgumentError('query', `raw SQL reads only the log, through the view events (files under ${folders.join(' and ')}): ` +
      `DuckDB refused it (${(error as Error).message.split('\n')[0]})`);
  }
}
