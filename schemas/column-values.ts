// The values a new event may give a top-level field named like a column of the `events` table: one that column reads
// (a built-in column or a loaded schema's). Without this check one event of another JSON type fails every SQL query
// over its hour for good (events are never rewritten), or reads wrong (DuckDB reads "yes" as true).

import type { FieldIssue } from '../domain/errors.ts';
import type { ColumnType, EventColumn } from '../domain/query-columns.ts';
import { EVENT_COLUMNS } from '../domain/query-columns.ts';
import { withUnnamed } from './account-values.ts';
import { obj, ptr } from './breaking-changes.ts';
import { guaranteesColumn } from './column-guarantees.ts';
import { describeColumnType, schemaColumns } from './columns.ts';
import type { SchemaRegistry } from './registry.ts';
import type { SchemaEntry } from './schema-entry.ts';

/** The integers a column reads, as JSON text: Hive's INT and BIGINT (DuckDB INTEGER, BIGINT). */
const RANGES = { int: 'from -2147483648 to 2147483647', bigint: 'from -9223372036854775808 to 9223372036854775807' } as const;

const INT_MAX = 2 ** 31;
const BIGINT_MAX = 2 ** 63;

/**
 * Whether the JSON text of number `value` (JSON.stringify's) is an integer of the column's range. Why strict bounds
 * for bigint: no double lies between ±(2^63 - 1024) and ±2^63, and ±2^63 itself prints as ±9223372036854776000, past
 * BIGINT at both ends; every double inside prints as a shortest form that stays inside (2^63 - 1024 as …775000).
 */
function inRange(value: number, type: 'int' | 'bigint'): boolean {
  return type === 'int' ? value >= -INT_MAX && value < INT_MAX : value > -BIGINT_MAX && value < BIGINT_MAX;
}

/**
 * Why a column of `type` cannot read `value` as the value it is, in DuckDB and Athena alike (what the value is, and
 * for an integer out of range that range); undefined when it can. A string column reads any JSON value (see
 * JSON_TEXT); NULL reads as NULL in any column.
 */
function unreadable(type: ColumnType, value: unknown): Unreadable | undefined {
  if (value === null || value === undefined || type === 'string') return undefined;
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : { is: jsonType(value) };
  if (type === 'int' || type === 'bigint') return integerProblem(value, type, '');
  if (typeof value !== 'object' || Array.isArray(value)) return { is: jsonType(value) };
  const of = type === 'map<string,int>' ? 'int' : 'bigint';
  // A loop, not Object.values(…).every: most deposits have a Currency map, and this runs for every new event.
  for (const key in value) {
    const problem = integerProblem((value as Record<string, unknown>)[key], of, `an object whose ${JSON.stringify(key)} is `);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const readable = (type: ColumnType, value: unknown): boolean => unreadable(type, value) === undefined;

/** What a value is (`is`), and for an integer out of its column's range, that range (`range`: `from … to …`). */
interface Unreadable { readonly is: string; readonly range?: string }

function integerProblem(value: unknown, type: 'int' | 'bigint', at: string): Unreadable | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return { is: at + jsonType(value) };
  if (inRange(value, type)) return undefined;
  return { is: `${at}the integer ${JSON.stringify(value)} (as JSON writes it)`, range: RANGES[type] };
}

/**
 * The columns of the `events` table, by name and by lower-cased name, and per schema the fields worth checking
 * (`planOf`). Why lower-cased too: Athena's OpenX SerDe matches JSON keys case-insensitively, so it reads
 * `currency` into Currency (DuckDB's read_json matches exact names only and reads NULL there; schemas check says so).
 */
interface ColumnLookup { readonly exact: Map<string, EventColumn>; readonly folded: Map<string, EventColumn>; readonly plans: WeakMap<SchemaEntry, Plan> }

/**
 * The fields of a schema's events to check: `any` for every event, `accepted` for one its schema accepted (those
 * whose schema does not already keep the value readable, see column-guarantees.ts); undefined: every key.
 */
interface Plan { readonly any: readonly string[] | undefined; readonly accepted: readonly string[] | undefined }

/** Per registry, built at its first new event and forgotten when a schema is added (`forgetColumns`). */
const lookups = new WeakMap<SchemaRegistry, ColumnLookup>();

// Built-ins first: a schema column never takes a built-in name (schemaColumns leaves those out). String columns too,
// though they read any value: an event's usual fields are then found at the first lookup.
function lookupFrom(columns: readonly EventColumn[]): ColumnLookup {
  return { exact: new Map(columns.map((c) => [c.name, c])), folded: new Map(columns.map((c) => [c.name.toLowerCase(), c])), plans: new WeakMap() };
}

const BUILTIN_LOOKUP = lookupFrom(EVENT_COLUMNS);

function lookupOf(registry: SchemaRegistry | undefined): ColumnLookup {
  if (registry === undefined) return BUILTIN_LOOKUP;
  let lookup = lookups.get(registry);
  if (lookup === undefined) lookups.set(registry, lookup = lookupFrom([...EVENT_COLUMNS, ...schemaColumns(registry).columns]));
  return lookup;
}

const EVERY_KEY: Plan = { any: undefined, accepted: undefined };

/**
 * The fields of `entry`'s events that can hold a value a column cannot read: for a closed schema (no other keys
 * valid), its declared fields that are non-string columns, and of those, for an event the schema accepted, the ones
 * whose schema allows an unreadable value; every key for an open schema. Why: a built-in event then costs no
 * lookup at all (its schemas bound every non-string field), decided once per schema.
 */
function planOf(entry: SchemaEntry, lookup: ColumnLookup): Plan {
  const known = lookup.plans.get(entry);
  if (known !== undefined) return known;
  const { schema } = entry;
  const closed = schema['additionalProperties'] === false && schema['patternProperties'] === undefined;
  const props = obj(schema['properties']);
  const typeOf = (name: string) => lookup.folded.get(name.toLowerCase())?.type ?? 'string';
  const any = Object.keys(props).filter((name) => typeOf(name) !== 'string');
  const plan = closed ? { any, accepted: any.filter((name) => !guaranteesColumn(props[name], typeOf(name), readable)) } : EVERY_KEY;
  lookup.plans.set(entry, plan);
  return plan;
}

/** Drop `registry`'s column lookup: a schema added after load may bring columns. */
export function forgetColumns(registry: SchemaRegistry): void {
  lookups.delete(registry);
}

/**
 * One issue per top-level field of `record` whose value the `events` table's column of that name cannot read; empty
 * when every one can. The columns: the built-in ones and `registry`'s schema columns (the built-in ones only without
 * a registry, e.g. for a check of stored events given none). Cost: one Map lookup per field (two for a field that is
 * no column).
 *
 * @example
 * columnValueIssues({ Currency: 'EUR', … }, registry); // [{ pointer: '/Currency', reason: 'is a string, but …', expected: '…' }]
 */
export function columnValueIssues(record: Record<string, unknown>, registry?: SchemaRegistry, entry?: SchemaEntry): FieldIssue[] {
  const lookup = lookupOf(registry);
  return issuesOf(record, lookup, entry && planOf(entry, lookup).any);
}

function issuesOf(record: Record<string, unknown>, lookup: ColumnLookup, fields: readonly string[] | undefined): FieldIssue[] {
  const { exact, folded } = lookup;
  const issues: FieldIssue[] = [];
  for (const name of fields ?? Object.keys(record)) {
    const column = exact.get(name) ?? folded.get(name.toLowerCase());
    if (column === undefined || !Object.hasOwn(record, name)) continue;
    const problem = unreadable(column.type, record[name]);
    if (problem === undefined) continue;
    const of = EVENT_COLUMNS.includes(column) ? 'the built-in column' : `the column (${column.comment ?? 'of a loaded schema'})`;
    const reads = `SQL reads ${name} as ${of} ${column.name}, which is ${describeColumnType(column.type)}`;
    issues.push(problem.range === undefined
      ? { pointer: ptr(name), reason: `is ${problem.is}, but ${reads}: such an event would fail every query over its hour, or read wrong`,
        expected: `a value of that type, or another name for the field: rename ${name} in your schema` }
      : { pointer: ptr(name), reason: `is ${problem.is}, out of range: ${reads}, and reads integers ${problem.range} only, so such an event would fail every query over its hour`,
        expected: `an integer ${problem.range}: give the field a minimum and maximum in your schema, or make it a string for larger values` });
  }
  return issues;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/**
 * `issues` with the column issues of `record` (of `entry`'s schema) at fields it does not already name; `issues`
 * itself when there are none. `issues` holds the schema's: none means the schema accepted `record`.
 */
export function withColumnIssues(record: Record<string, unknown>, registry: SchemaRegistry, entry: SchemaEntry, issues: FieldIssue[]): FieldIssue[] {
  const lookup = lookupOf(registry);
  const plan = planOf(entry, lookup);
  const fields = issues.length === 0 ? plan.accepted : plan.any;
  if (fields !== undefined && fields.length === 0) return issues;
  return withUnnamed(issues, issuesOf(record, lookup, fields));
}

/** The value at JSON pointer `pointer` of `record`, or undefined. */
function valueAt(record: unknown, pointer: string): unknown {
  let node = record;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

/**
 * `issues` with the reason of each one at a bigint said plainly: ajv's "must be integer" read as nonsense for 5n.
 * For an upcaster's result (the only event that is no parsed JSON): an event is stored and read as JSON, which has
 * no bigint. `issues` itself when it names none (the common case, nothing allocated).
 */
export function withBigintReasons(event: Record<string, unknown>, issues: FieldIssue[]): FieldIssue[] {
  if (!issues.some((i) => typeof valueAt(event, i.pointer) === 'bigint')) return issues;
  return issues.map((i) => {
    const value = valueAt(event, i.pointer);
    return typeof value === 'bigint' ? { ...i, reason: `is the bigint ${value}n, which JSON (the log's format) cannot hold: return a number (Number(value)) or a string` } : i;
  });
}
