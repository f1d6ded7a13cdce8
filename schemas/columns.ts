// The `events` table columns of user event types: the fields their schemas declare that the built-in columns lack,
// typed from the JSON Schema, for the SQL engines (DuckDB's `extraColumns`, Glue's table) to read them as columns.

import type { ColumnType, EventColumn } from '../domain/query-columns.ts';
import { COLUMN_NAME, EVENT_COLUMNS, PARTITION_COLUMNS } from '../domain/query-columns.ts';
import { obj, ptr } from './breaking-changes.ts';
import type { SchemaRegistry } from './registry.ts';

type Schema = Record<string, unknown>;

/**
 * What a text column says it holds when the schemas give its field no one column type. Why text: both engines read
 * any JSON value into a string column (DuckDB's read_json VARCHAR, Athena's OpenX JSON SerDe VARCHAR), a string as
 * itself and a number, boolean, object or list as its JSON text, so no stored value can fail a query over its hour.
 */
export const JSON_TEXT = 'JSON text (a string as itself)';

/**
 * The one JSON type `field` declares beside "null", or undefined. Why null is dropped: `["string","null"]` is a string
 * that may be absent, and both engines read a JSON null into any column as NULL.
 */
function declaredType(field: Schema): unknown {
  const type = field['type'];
  if (!Array.isArray(type)) return type;
  const types = type.filter((t) => t !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/** A field's column type, when its schema says one plainly; undefined for what no column type holds (numbers, lists, untyped). */
function columnType(field: Schema): ColumnType | undefined {
  const consts = ('const' in field ? [field['const']] : Array.isArray(field['enum']) ? field['enum'] : []).filter((v) => v !== null);
  const type = declaredType(field) ?? (consts.length === 0 ? undefined : consts.every((v) => typeof v === 'string') ? 'string' : consts.every((v) => typeof v === 'boolean') ? 'boolean' : undefined);
  if (type === 'string' || type === 'boolean') return type;
  if (type === 'integer') return 'bigint';
  const values = field['additionalProperties'];
  // bigint values, as an integer field's: a JSON integer its schema allows must fit (the built-in maps stay int).
  if (type === 'object') return values !== null && typeof values === 'object' && (values as Schema)['type'] === 'integer' ? 'map<string,bigint>' : 'string';
  return undefined;
}

const PARTITIONS = new Set<string>(PARTITION_COLUMNS);
const BUILTIN = new Map(EVENT_COLUMNS.map((c) => [c.name.toLowerCase(), c]));

/** Why a field called `name` can never be a column of its own, whatever its type; undefined when it can. */
function unusableName(name: string): string | undefined {
  if (PARTITIONS.has(name.toLowerCase())) return 'is the name of a partition column';
  if (!COLUMN_NAME.test(name)) return 'is not a plain identifier';
  return undefined;
}

/** A column type as a person reads it, with the JSON values it holds. */
export function describeColumnType(type: ColumnType): string {
  return { string: 'string', int: 'int (JSON integers)', bigint: 'bigint (JSON integers)', boolean: 'boolean (JSON true/false)', 'map<string,int>': 'map<string,int> (a JSON object of integers)',
    'map<string,bigint>': 'map<string,bigint> (a JSON object of integers)' }[type];
}

/**
 * The finding for field `name` spelt like the column `column` but for case: DuckDB's read_json matches JSON keys by
 * exact name (`amount` reads NULL in Amount) while Athena's OpenX SerDe ignores case, so the engines disagree.
 */
function caseFinding(name: string, column: string, of: string): { pointer: string; message: string }[] {
  if (name === column) return [];
  return [{ pointer: ptr('properties', name), message: `${JSON.stringify(name)} differs only in case from ${of} ${column}: eventlake query (DuckDB) reads the column ` +
    `by its exact name, so this field reads NULL there, while Athena reads it: use the exact name ${column}, or another name` }];
}

/** Whether a map of integers (bigint) fits a built-in int map (Currency's): its schema bounds every count within int. */
function fitsIntMap(field: Schema, type: ColumnType, builtin: ColumnType): boolean {
  const values = obj(field['additionalProperties']);
  const [min, max] = [values['minimum'], values['maximum']];
  return type === 'map<string,bigint>' && builtin === 'map<string,int>' && typeof min === 'number' && typeof max === 'number' && min >= -(2 ** 31) && max < 2 ** 31;
}

/**
 * `schemas check`'s findings for the top-level fields of `schema` that SQL cannot read as declared: a name that keeps
 * the field out of the `events` table (a partition's, not a plain identifier), a built-in column's name in other case,
 * and a built-in column's name with another type (the built-in column keeps its type: such an event would fail every
 * query over its hour, or read wrong, and emit refuses it). A field left out for its type (a number, a list) is by
 * design, so not reported.
 */
export function skippedColumnFindings(schema: Schema): { pointer: string; message: string }[] {
  return Object.entries(obj(schema['properties'])).flatMap(([name, field]) => {
    const builtin = BUILTIN.get(name.toLowerCase());
    if (builtin !== undefined) {
      const cased = caseFinding(name, builtin.name, 'the built-in column');
      const type = columnType(obj(field));
      if (type === undefined || type === builtin.type || builtin.type === 'string' || fitsIntMap(obj(field), type, builtin.type)) return cased;
      return [...cased, { pointer: ptr('properties', name), message: `${JSON.stringify(name)} is the built-in column ${builtin.name}, which is ${describeColumnType(builtin.type)}, but this schema has it as ${type}: ` +
        'SQL (eventlake query, Athena) could not read such an event, so emit refuses it; rename the field in your schema' }];
    }
    const why = unusableName(name);
    if (why === undefined) return [];
    const fix = why.startsWith('is not') ? 'rename it to letters, digits and _ (not starting with a digit, at most 64 characters)' : `rename it (${PARTITION_COLUMNS.join(', ')} are the partition columns)`;
    return [{ pointer: ptr('properties', name), message: `${JSON.stringify(name)} ${why}, so the events table has no column for it and SQL (eventlake query, Athena) cannot read it: ${fix} to query it` }];
  });
}

/** One field name across the loaded schemas: its first declaration, and why it is text or no column, once known. */
interface Seen { readonly name: string; readonly where: string; readonly type: ColumnType | undefined; readonly object: boolean; readonly text?: string; readonly why?: string }

/** `seen` with `field` of `where` (`type vN`) added: a second, other column type (or none) makes the column text. */
function merged(seen: Seen | undefined, name: string, field: Schema, where: string): Seen {
  const type = columnType(field);
  if (seen === undefined) {
    const why = unusableName(name);
    return { name, where, type, object: declaredType(field) === 'object' && type === 'string', ...(why === undefined ? {} : { why }) };
  }
  if (seen.why !== undefined || seen.text !== undefined || seen.type === type) return seen;
  const as = (t: ColumnType | undefined) => t ?? 'no column type';
  return { ...seen, text: `${seen.where} has it as ${as(seen.type)}, ${where} as ${as(type)}` };
}

function column(seen: Seen): EventColumn | { name: string; why: string } {
  if (seen.why !== undefined) return { name: seen.name, why: seen.why };
  if (seen.text !== undefined) return { name: seen.name, type: 'string', comment: `${JSON_TEXT}: ${seen.text}` };
  if (seen.type === undefined) return { name: seen.name, why: `${seen.where} declares no string, integer, boolean or object` };
  return { name: seen.name, type: seen.type, comment: seen.object ? `${seen.where}; ${JSON_TEXT}` : seen.where };
}

/** `type.vN` keys in schemaColumns' order (types by name, versions ascending), so the first spelling seen is the column's. */
function byTypeAndVersion(a: string, b: string): number {
  const [ta, va] = [a.slice(0, a.lastIndexOf('.v')), Number(a.slice(a.lastIndexOf('.v') + 2))];
  const [tb, vb] = [b.slice(0, b.lastIndexOf('.v')), Number(b.slice(b.lastIndexOf('.v') + 2))];
  return ta < tb ? -1 : ta > tb ? 1 : va - vb;
}

/**
 * `schemas check`'s findings for a field that two schemas of one folder (`schemas`, by `type.vN`) give different
 * column types: the `events` table then reads it as text for every version (JSON_TEXT), so SQL that used it as a number
 * or a boolean fails. Reported once, at the first schema that makes it text; a field with no column before (a number,
 * a list) gains one, so that is no finding. And for a field spelt like another's column but for case (caseFinding).
 */
export function columnConflictFindings(schemas: ReadonlyMap<string, { file: string; schema: Schema }>): { file: string; pointer: string; message: string }[] {
  const found = new Map<string, Seen>();
  const out: { file: string; pointer: string; message: string }[] = [];
  const cased: { file: string; name: string; lower: string }[] = [];
  for (const key of [...schemas.keys()].sort(byTypeAndVersion)) {
    const { file, schema } = schemas.get(key)!;
    for (const [name, field] of Object.entries(obj(schema['properties']))) {
      const lower = name.toLowerCase();
      if (BUILTIN.has(lower)) continue;
      const before = found.get(lower);
      const after = merged(before, name, obj(field), key.replace('.v', ' v'));
      found.set(lower, after);
      if (before !== undefined && before.name !== name) cased.push({ file, name, lower });
      // Only a typed column made text is reported: a field that had no column (a number) gains one as text.
      if (before?.type === undefined || before.text !== undefined || after.text === undefined || columnType(obj(field)) === undefined) continue;
      out.push({ file, pointer: ptr('properties', name), message: `${JSON.stringify(name)}: ${after.text}, so the events table reads it as text for every version and type ` +
        `(${JSON_TEXT}), and SQL using it as ${before.type} fails: give it one JSON type everywhere (a new field for a new type) to keep it typed` });
    }
  }
  for (const { file, name, lower } of cased) {
    const first = found.get(lower)!;
    if ('type' in column(first)) out.push(...caseFinding(name, first.name, `${first.where}'s column`).map((f) => ({ file, ...f })));
  }
  return out;
}

/**
 * The columns of the loaded schemas' fields beyond the built-in ones, by first appearance (types in name order,
 * versions ascending). A field two types or versions declare with different column types, or as an object that is
 * no map of integers, is a string column of JSON text (JSON_TEXT: every engine reads any value so). A field no column
 * type holds (a number, a list, no type) or named so it cannot be one is left out (in `skipped`, with why).
 *
 * @example
 * const { columns } = schemaColumns(registry); // [{ name: 'FeeKind', type: 'string', comment: 'account_fee_charged v1' }, …]
 * new DuckDbEventQuery({ dataDir, extraColumns: columns });
 */
export function schemaColumns(registry: SchemaRegistry): { columns: EventColumn[]; skipped: { field: string; why: string }[] } {
  const found = new Map<string, Seen>();
  for (const { type, versions } of registry.types()) {
    for (const version of versions) {
      const properties = (registry.entry(type, version).schema['properties'] ?? {}) as Record<string, Schema>;
      for (const [name, field] of Object.entries(properties)) {
        const key = name.toLowerCase();
        if (!BUILTIN.has(key)) found.set(key, merged(found.get(key), name, field, `${type} v${version}`));
      }
    }
  }
  const all = [...found.values()].map(column);
  return {
    columns: all.filter((c): c is EventColumn => 'type' in c),
    skipped: all.filter((c): c is { name: string; why: string } => 'why' in c).map((c) => ({ field: c.name, why: c.why })),
  };
}
