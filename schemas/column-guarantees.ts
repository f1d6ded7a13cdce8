// Whether a field's schema alone already keeps its value readable by its SQL column, decided once per schema, so that
// validation skips the column check of such fields for every event the schema accepts.

import type { ColumnType } from '../domain/query-columns.ts';

type Schema = Record<string, unknown>;
/** Whether the column of `type` reads `value` (column-values' own test, so both agree on what "readable" is). */
export type Readable = (type: ColumnType, value: unknown) => boolean;

/** The integers a column reads are those strictly between these bounds (see column-values' inRange). */
const BOUNDS = { int: [-(2 ** 31) - 1, 2 ** 31], bigint: [-(2 ** 63), 2 ** 63] } as const;

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * True when every value `schema` accepts is readable by a column of `type` (a value that is not there is never
 * checked). False whenever unsure: only the schema's own `const`, `enum`, `type` and bounds are read, and since every
 * JSON Schema keyword only narrows what its siblings accept, whatever else the schema says cannot make this wrong.
 * Why it matters: the built-in types' non-string fields (SchemaVersion, EventTimeStamp, Verified, Currency) are all
 * guaranteed, so a valid bank event costs no column lookup at all.
 */
export function guaranteesColumn(schema: unknown, type: ColumnType, readable: Readable): boolean {
  return guarantees(schema, type, readable, true);
}

function guarantees(schema: unknown, type: ColumnType, readable: Readable, nullable: boolean): boolean {
  // $ref: what it points at is not followed here.
  if (!isSchema(schema) || '$ref' in schema || '$dynamicRef' in schema) return false;
  // Inside a map, null is no count: readable() answers for a top-level field, where NULL reads as NULL.
  const ok = (v: unknown) => (nullable || v !== null) && readable(type, v);
  if ('const' in schema && ok(schema['const'])) return true;
  const choices = schema['enum'];
  if (Array.isArray(choices) && choices.every(ok)) return true;
  const types = typeof schema['type'] === 'string' ? [schema['type']] : schema['type'];
  if (!Array.isArray(types) || types.length === 0) return false;
  const [main, rest] = [type === 'boolean' ? 'boolean' : type === 'int' || type === 'bigint' ? 'integer' : 'object', nullable ? ['null'] : []];
  if (!types.every((t) => t === main || rest.includes(t as string))) return false;
  if (!types.includes(main)) return true;
  if (type === 'int' || type === 'bigint') return bounded(schema, type);
  return type === 'boolean' || mapOf(schema, type === 'map<string,int>' ? 'int' : 'bigint', readable);
}

/** An integer schema whose bounds keep every integer it accepts inside the column's range. */
function bounded(schema: Schema, type: 'int' | 'bigint'): boolean {
  const [low, high] = BOUNDS[type];
  const [min, exMin, max, exMax] = [num(schema['minimum']), num(schema['exclusiveMinimum']), num(schema['maximum']), num(schema['exclusiveMaximum'])];
  const above = (min !== undefined && min > low) || (exMin !== undefined && exMin >= low);
  const below = (max !== undefined && max < high) || (exMax !== undefined && exMax <= high);
  return above && below;
}

/** An object schema each of whose values (declared, pattern-matched and any other) is an integer of `of` (no null). */
function mapOf(schema: Schema, of: 'int' | 'bigint', readable: Readable): boolean {
  const inner = (s: unknown) => s === false || guarantees(s, of, readable, false);
  const groups = [schema['properties'] ?? {}, schema['patternProperties'] ?? {}];
  if (!groups.every((g) => isSchema(g) && Object.values(g).every(inner))) return false;
  return 'additionalProperties' in schema && inner(schema['additionalProperties']);
}
