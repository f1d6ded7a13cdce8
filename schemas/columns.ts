// The `events` table columns of user event types: the fields their schemas declare that the built-in columns lack,
// typed from the JSON Schema, for the SQL engines (DuckDB's `extraColumns`, Glue's table) to read them as columns.

import type { ColumnType, EventColumn } from '../domain/query-columns.ts';
import { COLUMN_NAME, EVENT_COLUMNS, PARTITION_COLUMNS } from '../domain/query-columns.ts';
import { obj, ptr } from './breaking-changes.ts';
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

const PARTITIONS = new Set<string>(PARTITION_COLUMNS);
const BUILTIN = new Set(EVENT_COLUMNS.map((c) => c.name.toLowerCase()));

/** Why a field called `name` can never be a column of its own, whatever its type; undefined when it can. */
function unusableName(name: string): string | undefined {
  if (PARTITIONS.has(name.toLowerCase())) return 'is the name of a partition column';
  if (!COLUMN_NAME.test(name)) return 'is not a plain identifier';
  return undefined;
}

/**
 * `schemas check`'s findings for the top-level fields of `schema` that schemaColumns leaves out of the `events` table
 * by their name alone (a built-in column's name is the built-in column): without them a field that SQL cannot read
 * passed the lint without a word. A field left out for its type (a number, a list) is by design, so not reported.
 */
export function skippedColumnFindings(schema: Schema): { pointer: string; message: string }[] {
  return Object.keys(obj(schema['properties'])).flatMap((name) => {
    const why = BUILTIN.has(name.toLowerCase()) ? undefined : unusableName(name);
    if (why === undefined) return [];
    const fix = why.startsWith('is not') ? 'rename it to letters, digits and _ (not starting with a digit, at most 64 characters)' : `rename it (${PARTITION_COLUMNS.join(', ')} are the partition columns)`;
    return [{ pointer: ptr('properties', name), message: `${JSON.stringify(name)} ${why}, so the events table has no column for it and SQL (eventlake query, Athena) cannot read it: ${fix} to query it` }];
  });
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
  const found = new Map<string, EventColumn | { name: string; why: string }>();
  for (const { type, versions } of registry.types()) {
    for (const version of versions) {
      const properties = (registry.entry(type, version).schema['properties'] ?? {}) as Record<string, Schema>;
      for (const [name, field] of Object.entries(properties)) {
        const key = name.toLowerCase();
        const seen = found.get(key);
        if (BUILTIN.has(key) || (seen !== undefined && 'why' in seen)) continue;
        const column = columnType(field);
        const unusable = unusableName(name);
        if (unusable !== undefined) found.set(key, { name, why: unusable });
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
