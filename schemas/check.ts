// `schemas check`: lints a folder of event schemas and reports every finding with its file and JSON pointer.

import { basename, dirname, join, resolve } from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { BalanceRule } from '../domain/balances.ts';
import { SchemaAccountFieldsError } from '../domain/errors.ts';
import { ACCOUNTS_KEYWORD, accountFieldProblems } from './account-fields.ts';
import { breakingChanges, obj, ptr, strings, type Schema } from './breaking-changes.ts';
import { builtinBaseline } from './check-baseline.ts';
import { builtinRuleFindings } from './check-builtin-rules.ts';
import { checkId } from './check-id.ts';
import { noSchemasFinding } from './check-no-schemas.ts';
import { SchemaRegistry } from './registry.ts';
import { columnConflictFindings, skippedColumnFindings } from './columns.ts';
import { compileProblem, compileWithoutId, newEventlakeAjv } from './schema-compiler.ts';
import { notAnObject, schemaFilesIn } from './schema-file.ts';
import { patternHazards } from './schema-patterns.ts';
import { readSchemaJson } from './schema-text.ts';
import { duplicateKeyMessage, findDuplicateJsonKey, jsonPointer, lineAndColumn } from '../domain/json-duplicate-keys.ts';

/** A schema file's name: `<event_type>.v<N>.json`, the type and the version captured. */
export const SCHEMA_FILE_NAME = /^([a-z][a-z0-9_]{0,63})\.v([1-9][0-9]{0,3})\.json$/;
const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const ENVELOPE = ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'] as const;

export type FindingRule = 'file-name' | 'file' | 'json' | 'json-schema' | 'envelope' | 'closed' | 'id' | 'duplicate' | 'version-gap' | 'breaking-change' | 'accounts' | 'regex' | 'column' | 'builtin-rule' | 'extensions' | 'no-schemas';

/** One problem in one schema file. */
export interface SchemaFinding {
  readonly file: string;
  /** JSON pointer into `file`, `''` for the whole file. */
  readonly pointer: string;
  readonly rule: FindingRule;
  readonly message: string;
}

export interface CheckOptions {
  /** Whether an upcaster lifts `type` from `fromVersion`; a breaking change it covers is no finding. */
  readonly hasUpcaster?: (type: string, fromVersion: number) => boolean;
  /** Versions kept elsewhere, compared with a folder's first version of a type. Default: the built-ins (`schemas check`'s). */
  readonly previous?: (type: string, version: number) => Schema | undefined;
  /**
   * Why `version` (in `file`), the folder's latest of `type`, would reach built-in rules not written for it, naming the
   * fix, or undefined. Default: the built-in rules' versions, with `balanceRules` replacing some (`schemas check`'s
   * finding); `() => undefined` turns the `builtin-rule` finding off.
   */
  readonly builtinRuleProblem?: (type: string, version: number, file: string) => string | undefined;
  /**
   * The balance rules your lake opens with (the extensions module's `balanceRules`): a built-in type whose rule they
   * replace may have a newer version than its built-in rules were written for. Default none.
   */
  readonly balanceRules?: Readonly<Record<string, BalanceRule>>;
}

/**
 * Lint every `*.json` of `dir`: draft 2020-12 JSON Schema, envelope fields present and required with consts that match
 * the file name, closed objects, an `$id` of each version's own, and no breaking change between consecutive versions
 * (a type's first in the folder against `previous`'s, default the built-ins') unless upcast, an account-field
 * declaration (`x-eventlake-accounts`) the registry would load, no regex that can take exponential time (`regex`,
 * refused at load too), and no top-level field whose name keeps it out of the `events` table, has a built-in column's
 * name with another type, or two types across the folder (`column`). A file that is not a regular file, or over 1 MiB,
 * is a `file` finding and is never read. A built-in type made newer than its built-in rules were written for is a
 * `builtin-rule` finding unless `balanceRules` replaces its rule (opening a lake refuses it: BUILTIN_RULES_UNFIT). A
 * folder without any `*.json` is one `no-schemas` finding.
 *
 * @example
 * const { findings } = checkSchemaFolder('./my-schemas', { hasUpcaster: (t, v) => registry.hasUpcaster(t, v), balanceRules: extensions.balanceRules });
 */
export function checkSchemaFolder(dir: string, options: CheckOptions = {}): { files: number; findings: SchemaFinding[] } {
  const names = schemaFilesIn(dir, { argument: 'DIR', relativeTo: 'the current directory' }).map((file) => basename(file));
  if (names.length === 0) return { files: 0, findings: [noSchemasFinding(dir)] };
  const findings: SchemaFinding[] = [];
  const ajv = newEventlakeAjv();
  const loaded = new Map<string, { file: string; schema: Schema }>();
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const m = SCHEMA_FILE_NAME.exec(name);
    if (!m) {
      findings.push({ file, pointer: '', rule: 'file-name', message: 'schema files are named <event_type>.v<N>.json, e.g. outgoing_payment.v1.json' });
      continue;
    }
    const read = readSchemaJson(file);
    if ('problem' in read) {
      findings.push({ file, pointer: '', rule: read.rule, message: read.problem });
      continue;
    }
    const { text, parsed } = read;
    const duplicate = findDuplicateJsonKey(text);
    if (duplicate !== undefined) {
      const { line, column } = lineAndColumn(text, duplicate.offset);
      findings.push({ file, pointer: jsonPointer(duplicate.path), rule: 'json', message: duplicateKeyMessage(duplicate, `line ${line}, column ${column}`) });
      continue;
    }
    const problem = notAnObject(parsed, m[1]!);
    if (problem !== undefined) {
      findings.push({ file, pointer: '', rule: 'json', message: problem });
      continue;
    }
    const schema = parsed as Schema;
    const found = [...checkDialect(ajv, schema), ...checkEnvelope(schema, m[1]!, Number(m[2])), ...checkClosed(schema), ...checkId(schema, Number(m[2]), ids, name),
      ...accountFieldProblems(schema).map((p) => ({ ...p, rule: 'accounts' as const })),
      ...patternHazards(schema).map(({ pointer, message }) => ({ pointer, rule: 'regex' as const, message })),
      ...skippedColumnFindings(schema).map((f) => ({ ...f, rule: 'column' as const }))];
    findings.push(...found.map((f) => ({ file, ...f })));
    loaded.set(`${m[1]}.v${Number(m[2])}`, { file, schema });
  }
  const previous = options.previous ?? builtinBaseline(dir);
  for (const [key, { file, schema }] of loaded) {
    const [type, version] = typeAndVersion(key);
    if (previous(type, version)) findings.push({ file, pointer: '', rule: 'duplicate', message: `${type} v${version} is already defined (built-in or another schema folder); the registry refuses a second definition` });
    if (version === 1) continue;
    const before = loaded.get(`${type}.v${version - 1}`)?.schema ?? previous(type, version - 1);
    if (!before) {
      findings.push({ file, pointer: ptr('properties', 'SchemaVersion', 'const'), rule: 'version-gap', message: `${type} v${version} has no v${version - 1} before it` });
    } else if (!options.hasUpcaster?.(type, version - 1)) {
      findings.push(...breakingChanges(type, version, before, schema).map((c) => ({ file, rule: 'breaking-change' as const, ...c })));
    }
  }
  findings.push(...columnConflictFindings(loaded).map((f) => ({ ...f, rule: 'column' as const })));
  const versions = [...loaded].map(([key, { file }]) => { const [type, version] = typeAndVersion(key); return { type, version, file }; });
  findings.push(...builtinRuleFindings(versions, options));
  if (!findings.some((f) => f.rule === 'accounts')) findings.push(...accountColumnFindings(dir));
  return { files: names.length, findings };
}

/**
 * What the registry refuses about the folder's account fields across schemas (`assertAccountColumns`: the events
 * table has one column a name): asked of the registry itself, so the lint and the load cannot disagree. Any other
 * refusal of the load is another rule's finding (or none of the folder's), so it is not repeated here.
 */
function accountColumnFindings(dir: string): SchemaFinding[] {
  try {
    SchemaRegistry.load({ folders: [dir] });
  } catch (error) {
    // The registry names the file by its resolved path; the other findings by `dir` as given.
    const file = error instanceof SchemaAccountFieldsError && dirname(error.file) === resolve(dir) ? join(dir, basename(error.file)) : undefined;
    if (file !== undefined) return (error as SchemaAccountFieldsError).problems.map((message) => ({ file, pointer: ptr(ACCOUNTS_KEYWORD), rule: 'accounts', message }));
  }
  return [];
}

/** The type and version of a `loaded` key (`<type>.v<N>`). */
const typeAndVersion = (key: string): [string, number] => [key.slice(0, key.lastIndexOf('.v')), Number(key.slice(key.lastIndexOf('.v') + 2))];

type Found = Omit<SchemaFinding, 'file'>;

function checkDialect(ajv: Ajv2020, schema: Schema): Found[] {
  const out: Found[] = [];
  if (schema['$schema'] !== DIALECT) out.push({ pointer: ptr('$schema'), rule: 'json-schema', message: `must be "${DIALECT}" (draft 2020-12)` });
  const bare = { ...schema, $schema: undefined, $id: undefined };
  if (!ajv.validateSchema(bare)) {
    for (const e of ajv.errors ?? []) out.push({ pointer: e.instancePath, rule: 'json-schema', message: `not valid draft 2020-12: ${e.message ?? e.keyword}` });
    return out;
  }
  try {
    compileWithoutId(ajv, { ...schema, $schema: undefined });
  } catch (cause) {
    out.push({ pointer: '', rule: 'json-schema', message: `does not compile: ${compileProblem(cause)}` });
  }
  return out;
}

function checkEnvelope(schema: Schema, type: string, version: number): Found[] {
  const out: Found[] = [];
  const props = obj(schema['properties']);
  const required = strings(schema['required']);
  const expect = (ok: boolean, pointer: string, message: string) => ok || out.push({ pointer, rule: 'envelope', message });
  for (const field of ENVELOPE) {
    if (!(field in props)) out.push({ pointer: ptr('properties', field), rule: 'envelope', message: `the envelope field ${field} is missing` });
    expect(required.includes(field), ptr('required'), `the envelope field ${field} is not required`);
  }
  if ('EventType' in props) expect(obj(props['EventType'])['const'] === type, ptr('properties', 'EventType', 'const'), `must be ${JSON.stringify(type)}, the type in the file name`);
  if ('SchemaVersion' in props) expect(obj(props['SchemaVersion'])['const'] === version, ptr('properties', 'SchemaVersion', 'const'), `must be ${version}, the version in the file name`);
  if ('RequestId' in props) expect(obj(props['RequestId'])['format'] === 'uuid', ptr('properties', 'RequestId', 'format'), 'must be "uuid": the RequestId is part of the object key');
  if ('EventTimeStamp' in props) expect(obj(props['EventTimeStamp'])['type'] === 'integer', ptr('properties', 'EventTimeStamp', 'type'), 'must be "integer" (epoch seconds)');
  return out;
}

function checkClosed(schema: Schema): Found[] {
  const out: Found[] = [];
  if (schema['type'] !== 'object') out.push({ pointer: ptr('type'), rule: 'closed', message: 'an event schema is "type": "object"' });
  if (schema['additionalProperties'] !== false) out.push({ pointer: ptr('additionalProperties'), rule: 'closed', message: 'must be false, so a misspelt field is rejected instead of stored' });
  return out;
}
