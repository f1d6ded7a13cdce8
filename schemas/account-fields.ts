// The account-field declaration of an event schema (`x-eventlake-accounts`): which of its string properties are
// accounts, so that the index's per-account lookups and the SQL catalogue's account filters find its events.

import { SchemaAccountFieldsError } from '../domain/errors.ts';
import type { AccountDeclaration } from '../domain/query-accounts.ts';
import { COLUMN_NAME, EVENT_COLUMNS } from '../domain/query-columns.ts';
import { ptr } from './breaking-changes.ts';
import { schemaColumns } from './columns.ts';
import type { SchemaRegistry } from './registry.ts';

/** The schema keyword naming a type's account fields, e.g. `"x-eventlake-accounts": ["CardAccount"]`. */
export const ACCOUNTS_KEYWORD = 'x-eventlake-accounts';

/**
 * How many account fields one schema may declare. Why 2: the DynamoDB index looks accounts up by two GSIs
 * (byAccount0/1), one per account slot of an item, and the SQL catalogue and DuckDB's cache keep the same two slots.
 */
export const MAX_ACCOUNT_FIELDS = 2;

/** ajv's definition of the keyword: an annotation (it never changes whether an event is valid), checked for shape. */
export const ACCOUNTS_KEYWORD_DEFINITION = {
  keyword: ACCOUNTS_KEYWORD,
  schemaType: 'array',
  metaSchema: { type: 'array', items: { type: 'string' } },
} as const;

/** The fields `schema` declares as accounts, or undefined when it declares none (or the declaration is not a list). */
export function declaredAccountFields(schema: Record<string, unknown>): readonly string[] | undefined {
  const declared = schema[ACCOUNTS_KEYWORD];
  return Array.isArray(declared) && declared.every((f) => typeof f === 'string') ? declared : undefined;
}

/** Keywords whose value is one subschema, a map of subschemas, or a list of them (draft 2020-12 and older). */
const ONE = ['additionalProperties', 'propertyNames', 'items', 'contains', 'not', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems', 'contentSchema'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];

/** JSON pointers of the keyword in the subschemas below `schema`'s top (not of properties that bear its name). */
function nestedDeclarations(schema: unknown, at: (string | number)[] = [], out: string[] = []): string[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const s = schema as Record<string, unknown>;
  if (at.length > 0 && ACCOUNTS_KEYWORD in s) out.push(ptr(...at, ACCOUNTS_KEYWORD));
  for (const k of ONE) if (k in s) nestedDeclarations(s[k], [...at, k], out);
  for (const k of MAP) {
    const map = s[k];
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) for (const [name, sub] of Object.entries(map)) nestedDeclarations(sub, [...at, k, name], out);
  }
  for (const k of LIST) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((sub, i) => nestedDeclarations(sub, [...at, k, i], out));
  return out;
}

/**
 * What is wrong with `schema`'s declaration, one sentence each naming the field and the fix, at the keyword it is
 * about; empty when it is fine or absent. The registry refuses a schema with any (SchemaAccountFieldsError),
 * `schemas check` reports them. Why a nested one is wrong: ajv accepts the keyword anywhere, but only the top's
 * names the event's account fields, so one written in a property would silently index nothing.
 */
export function accountFieldProblems(schema: Record<string, unknown>): { pointer: string; message: string }[] {
  const nested = nestedDeclarations(schema).map((pointer) => ({ pointer, message: `stands at ${pointer}, where it names nothing: move it to the top of the schema` }));
  return [...nested, ...topDeclarationProblems(schema).map((message) => ({ pointer: ptr(ACCOUNTS_KEYWORD), message }))];
}

function topDeclarationProblems(schema: Record<string, unknown>): string[] {
  if (!(ACCOUNTS_KEYWORD in schema)) return [];
  const fields = declaredAccountFields(schema);
  if (fields === undefined) return ['must be a list of field names, e.g. ["CardAccount"]'];
  if (fields.length === 0) return ['lists no field: name at least one, or leave the keyword out to index SourceAccount / TargetAccount'];
  const problems: string[] = [];
  if (fields.length > MAX_ACCOUNT_FIELDS) {
    problems.push(`names ${fields.length} fields (${fields.join(', ')}) but at most ${MAX_ACCOUNT_FIELDS} are allowed (the index looks an event up ` +
      `by ${MAX_ACCOUNT_FIELDS} accounts): keep the ${MAX_ACCOUNT_FIELDS} accounts the event is looked up by`);
  }
  const properties = schema['properties'] !== null && typeof schema['properties'] === 'object' ? schema['properties'] as Record<string, unknown> : {};
  for (const [i, field] of fields.entries()) {
    const property = Object.hasOwn(properties, field) ? properties[field] as Record<string, unknown> : undefined;
    if (fields.indexOf(field) !== i) problems.push(`names ${field} twice: list each account field once`);
    else if (property === undefined) problems.push(`names ${field}, which is not in "properties": declare it there or correct the name`);
    else if (property === null || typeof property !== 'object' || property['type'] !== 'string') problems.push(`names ${field}, which is not "type": "string": an account is a string`);
    else if (!COLUMN_NAME.test(field)) problems.push(`names ${JSON.stringify(field)}, which is not a plain identifier: SQL reads an account field as a column, so rename it`);
  }
  return problems;
}

/**
 * The declarations of every loaded schema that has one, for the SQL catalogue (types in name order, versions
 * ascending): the `accounts` of DuckDbEventQuery and AthenaEventQuery, or `queryCatalogue(accountDeclarations(r))`.
 *
 * @example
 * new DuckDbEventQuery({ dataDir, extraColumns: schemaColumns(registry).columns, accounts: accountDeclarations(registry) });
 */
export function accountDeclarations(registry: SchemaRegistry): AccountDeclaration[] {
  assertAccountColumns(registry);
  return registry.types().flatMap(({ type, versions }) => versions.flatMap((version) => {
    const fields = registry.entry(type, version).accountFields;
    return fields ? [{ type, version, fields }] : [];
  }));
}

/**
 * Refuses (SchemaAccountFieldsError, at the first declaring file) a declared field the `events` table cannot serve as
 * an account: SQL reads it as a column, the index reads the JSON. Why each case: a field with no column (another type
 * has it with another JSON type, or it is a partition's name) fails every catalogue query or reads the partition; a
 * column spelled in another case reads NULL (DuckDB's read_json matches keys exactly); a non-string column is not an
 * account. The SQL account filters would then miss, or fail on, events the index finds.
 */
export function assertAccountColumns(registry: SchemaRegistry): void {
  const { columns, skipped } = schemaColumns(registry);
  const builtin = new Set(EVENT_COLUMNS.map((c) => c.name));
  const byName = new Map([...EVENT_COLUMNS, ...columns].map((c) => [c.name.toLowerCase(), c]));
  // `why` is either a sentence about the field ("is the name of a partition column") or about the types that have it.
  const unusable = new Map(skipped.map((s) => [s.field.toLowerCase(), s.why.startsWith('is ') ? `${s.field} ${s.why}` : s.why]));
  for (const { type, versions } of registry.types()) {
    for (const version of versions) {
      const { accountFields, file } = registry.entry(type, version);
      const problems = (accountFields ?? []).flatMap((field) => {
        const column = byName.get(field.toLowerCase());
        if (column === undefined) return [`names ${field}, which the events table has no column for (${unusable.get(field.toLowerCase()) ?? 'no schema gives it a column type'}): rename the field so every type that has it gives it the same JSON type`];
        if (column.name !== field) return [`names ${field}, but the events table spells that column ${column.name} (${column.comment ?? 'a built-in column'}): SQL reads a JSON field by its exact name, so spell it ${column.name} in every schema`];
        if (column.type !== 'string') return [`names ${field}, which the events table has as ${column.type} (${builtin.has(column.name) ? 'a built-in column' : column.comment}): declare a string field as the account`];
        return [];
      });
      if (problems.length > 0) throw new SchemaAccountFieldsError(file, ACCOUNTS_KEYWORD, problems);
    }
  }
}
