// The `events` table columns of user event types: the fields their schemas declare that the built-in columns lack,
// typed from the JSON Schema, for the SQL engines (DuckDB's `extraColumns`, Glue's table) to read them as columns.

import type { ColumnType, EventColumn } from '../domain/query-columns.ts';
import { COLUMN_NAME, EVENT_COLUMNS, PARTITION_COLUMNS } from '../domain/query-columns.ts';
import type { SchemaRegistry } from './registry.ts';

type Schema = Record<string, unknown>;

/** A field's column type, when its schema says one plainly; undefined for what no column type holds (numbers, lists, nested objects). */
function columnType(field: Schema): ColumnType | undefined {
  const consts = 'const' in field ? [field['const']] : Array.isArray(field['enum']) ? field['enum'] : undefined;
  const type = field['type'] ?? (consts?.every((v) => typeof v === 'string') ? 'string' : consts?.every((v) => typeof v === 'boolean') ? 'boolean' : undefined);
  if (type === 'string' || type === 'boolean') return type;
  if (type === 'integer') return 'bigint';
  const values = field['additionalProperties'];
  if (type === 'object' && values !== null && typeof values === 'object' && (values as Schema)['type'] === 'integer') return 'map<string,int>';
  return undefined;
}

/**
 * The columns of the loaded schemas' fields beyond the built-in ones, by first appearance (types in name order,
 * versions ascending). A field two types declare with different column types, or none a column can hold, is left
 * out (in `skipped`, with why): one `events` table has one type per column, and a wrong one reads as NULL or fails.
 *
 * @example
 * const { columns } = schemaColumns(registry); // [{ name: 'FeeKind', type: 'string', comment: 'account_fee_charged v1' }, …]
 * new DuckDbEventQuery({ dataDir, extraColumns: columns });
 */
export function schemaColumns(registry: SchemaRegistry): { columns: EventColumn[]; skipped: { field: string; why: string }[] } {
  const builtin = new Set(EVENT_COLUMNS.map((c) => c.name.toLowerCase()));
  const partitions = new Set<string>(PARTITION_COLUMNS);
  const found = new Map<string, EventColumn | { name: string; why: string }>();
  for (const { type, versions } of registry.types()) {
    for (const version of versions) {
      const properties = (registry.entry(type, version).schema['properties'] ?? {}) as Record<string, Schema>;
      for (const [name, field] of Object.entries(properties)) {
        const key = name.toLowerCase();
        const seen = found.get(key);
        if (builtin.has(key) || (seen !== undefined && 'why' in seen)) continue;
        const column = columnType(field);
        if (partitions.has(key)) found.set(key, { name, why: 'is the name of a partition column' });
        else if (!COLUMN_NAME.test(name)) found.set(key, { name, why: 'is not a plain identifier' });
        else if (column === undefined) found.set(key, { name, why: `${type} v${version} declares no string, integer, boolean or map of integers` });
        else if (seen === undefined) found.set(key, { name, type: column, comment: `${type} v${version}` });
        else if (seen.type !== column) found.set(key, { name, why: `${seen.comment} has it as ${seen.type}, ${type} v${version} as ${column}` });
      }
    }
  }
  const all = [...found.values()];
  return {
    columns: all.filter((c): c is EventColumn => 'type' in c),
    skipped: all.filter((c): c is { name: string; why: string } => 'why' in c).map((c) => ({ field: c.name, why: c.why })),
  };
}
