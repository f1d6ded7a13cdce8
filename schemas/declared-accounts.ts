// The accounts of events read from schema files' account declarations (`x-eventlake-accounts`) without compiling the
// schemas. Why: the indexer function needs only the declarations, and compiling every schema with ajv at its cold
// start would cost it about a third of a second per new container. The folders were loaded and checked whole at synth
// (SchemaRegistry.load, which refuses a bad declaration), so reading the declarations is enough here.

import { accountsOf, type DomainEvent } from '../domain/event.ts';
import { declaredAccountFields } from './account-fields.ts';
import { readSchemaFile, schemaFilesIn } from './schema-file.ts';

/**
 * The accounts of an event by the declarations of the schema files in `folders` (SourceAccount / TargetAccount for a
 * type and version that declares none), as `SchemaRegistry.load({ folders }).accountsOf` answers for folders it loads.
 *
 * @example
 * const index = { accountsOf: declaredAccountsOf(bundledSchemaFolders()) };
 */
export function declaredAccountsOf(folders: readonly string[]): (event: DomainEvent) => string[] {
  const declared = new Map<string, readonly string[]>();
  for (const folder of folders) {
    for (const file of schemaFilesIn(folder)) {
      const { type, version, schema } = readSchemaFile(file);
      const fields = declaredAccountFields(schema);
      if (fields) declared.set(`${type}.v${version}`, fields);
    }
  }
  if (declared.size === 0) return (event) => accountsOf(event);
  return (event) => {
    const fields = declared.get(`${event.EventType}.v${event.SchemaVersion}`);
    return fields ? accountsOf(event, fields) : accountsOf(event);
  };
}
