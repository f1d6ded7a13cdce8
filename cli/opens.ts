// How commands open what they run against: the target's runtime, the query engine, the demo's local lake. Each
// adapter is imported when a command opens it, so registering a command loads none.

import type { SkippedField } from './error-hint.ts';
import { refuseUnusableDataDir } from './data-dir-guard.ts';
import { assertKnownEventTypes, assertRegisteredEventTypes } from './event-type-filter.ts';
import type { GlobalOptions } from './options.ts';
import { openAwsQuery, openTarget, resolveTarget } from './target.ts';
import type { EventColumn } from '../domain/query-columns.ts';
import type { LocalEventlakeOptions } from '../projections/runtime.ts';

/** Every command's open: locally, a --data-dir no folder can be at is refused in the CLI's words, before anything loads. */
export const open = async (opts: GlobalOptions) => {
  if (resolveTarget(opts).target === 'local') refuseUnusableDataDir(opts.dataDir);
  return openTarget(opts);
};

/** Fields of the loaded schemas that are no column, and why: a query naming one is told why (cli/error-hint.ts). */
let skipped: readonly SkippedField[] = [];

/** The fields the last local query's schemas could not make columns of (none before a query opens). */
export const skippedColumns = (): readonly SkippedField[] => skipped;

/** `eventlake query`'s engine: Athena on a deployed stack, DuckDB over the data directory here. */
export async function openQuery(opts: GlobalOptions) {
  // Athena on a deployed stack (its SDK loaded only then); locally DuckDB over the data directory.
  if (resolveTarget(opts).target === 'aws') return { ...await openAwsQuery(opts), refuseUnknownTypes: registeredTypesOnly(opts) };
  // DuckDB is loaded only by the query command: a native module the other commands do not need.
  const { DuckDbEventQuery } = await import('../adapters/local/duckdb-event-query.ts');
  const [{ schemaColumns }, { accountDeclarations }] = await Promise.all([import('../schemas/columns.ts'), import('../schemas/account-fields.ts')]);
  const local = await openTarget(opts);
  let extraColumns: EventColumn[];
  try {
    // The index only: SQL reads the log's files, never the projections, so a query neither waits for a dispatch
    // backlog (a first query of 1M events spent minutes folding them) nor fails while dispatch waits on an archived
    // object or a full disk.
    await (local.catchUpIndex ? local.catchUpIndex() : local.catchUp());
    // Fields of user event types (--schemas, --extensions) are columns of `events` too, typed from their schemas.
    ({ columns: extraColumns, skipped } = schemaColumns(local.registry));
  } catch (error) {
    await local.close();
    throw error;
  }
  const { SqliteEventIndex } = await import('../adapters/local/sqlite-event-index.ts');
  const { dataDirLayout } = await import('../adapters/local/layout.ts');
  const index = new SqliteEventIndex(dataDirLayout(opts.dataDir).indexDb);
  // The runtime stays open for its archive tier: which unreadable objects are being restored (one lookup each, only
  // when a range has some), and it completes restores that came due, whose listener updates the index.
  const query = new DuckDbEventQuery({
    dataDir: opts.dataDir, extraColumns, accounts: accountDeclarations(local.registry), withoutEventsIn: (keys, range) => index.withoutEventsIn(keys, range), restores: (keys) => local.archive.storage(keys),
  });
  return {
    query,
    // As `events --type` does: a type of the loaded schemas, or one the (caught up) index holds events of.
    refuseUnknownTypes: (types: readonly string[], argument: string) => assertKnownEventTypes(types, local.registry.types().map((t) => t.type), local.index, argument),
    close: async () => {
      try {
        await query.close();
      } finally {
        index.close();
        await local.close();
      }
    },
  };
}

/**
 * `query --type` on a deployed stack: the types of the loaded schemas only (built-in, --schemas or the config file's
 * schemaFolders), loaded when a filter names a type. Its DynamoDB index has no lookup by type: finding that a type has
 * no event would read every hour bucket of the log, so a type whose schema is not loaded is refused, saying how to
 * reach its events.
 */
function registeredTypesOnly(opts: GlobalOptions) {
  return async (types: readonly string[], argument: string): Promise<void> => {
    if (types.length === 0) return;
    const { SchemaRegistry } = await import('../schemas/registry.ts');
    const registered = SchemaRegistry.load({ folders: resolveTarget(opts).schemaFolders }).types().map((t) => t.type);
    assertRegisteredEventTypes(types, registered, argument, (type) => '; a deployed index is not searched by type, so a type whose schema is not loaded is ' +
      `refused even if the log holds events of it: load its folder with --schemas, or select it in SQL: WHERE EventType = '${type.replaceAll("'", "''")}'`);
  };
}

/** The demo's open: always the local lake, whatever the target options say. */
export async function openLocal(options: LocalEventlakeOptions) {
  const { openLocalEventlake } = await import('../adapters/local/open-local-eventlake.ts');
  return openLocalEventlake(options);
}
