// The loaded schemas of a registry, by type and version: loading a file into an entry (refusing a second definition),
// looking one up, and the account fields each declares. Validation and upcasting are the registry's (registry.ts).

import { dirname } from 'node:path';
import { InvalidArgumentError, SchemaAccountFieldsError, SchemaValidationError, UnknownEventTypeError, UnknownSchemaVersionError } from '../domain/errors.ts';
import { DEFAULT_ACCOUNT_FIELDS, EVENT_TYPE_PATTERN } from '../domain/event.ts';
import { ACCOUNTS_KEYWORD, accountFieldProblems, declaredAccountFields } from './account-fields.ts';
import { SchemaCompiler } from './schema-compiler.ts';
import { patternHazards } from './schema-patterns.ts';
import type { SchemaEntry } from './schema-entry.ts';
import { readSchemaFile, schemaFilesIn } from './schema-file.ts';

/** Every loaded schema entry by type, then version; versions are only ever added. */
export class SchemaSet {
  /** Read by the evolution check (uncoveredBreakingChanges), which compares consecutive versions. */
  readonly byType = new Map<string, Map<number, SchemaEntry>>();
  private readonly compiler = new SchemaCompiler();
  private readonly latestByType = new Map<string, { count: number; version: number }>();
  /** Account fields of the type+versions that declare them; kept apart so that the indexer's lookup per event is one miss. */
  private readonly declaredAccounts = new Map<string, Map<number, readonly string[]>>();

  /** Read, check and compile one schema file. Its name must be `<event_type>.v<N>.json` and agree with its consts. */
  add(file: string, source = dirname(file)): SchemaEntry {
    const { type, version, schema } = readSchemaFile(file);
    const defined = this.byType.get(type);
    if (defined?.has(version)) {
      throw new InvalidArgumentError(file, `${type} v${version} is already defined by ${defined.get(version)!.file}: load only one of the two folders, ` +
        `or make the new schema the next version (${type}.v${Math.max(...defined.keys()) + 1}.json)`);
    }
    // Before ajv, whose metaschema error would not say what an account declaration needs.
    const problems = accountFieldProblems(schema).map((p) => p.message);
    if (problems.length > 0) throw new SchemaAccountFieldsError(file, ACCOUNTS_KEYWORD, problems);
    const compiled = this.compiler.compileWhenUsed(file, schema);
    // After ajv, so that a pattern that does not compile is reported as such.
    const [hazard] = patternHazards(schema);
    if (hazard !== undefined) throw new InvalidArgumentError(file, `${hazard.pointer}: ${hazard.message}`);
    const accountFields = declaredAccountFields(schema);
    if (accountFields) this.declaredAccounts.set(type, (this.declaredAccounts.get(type) ?? new Map<number, readonly string[]>()).set(version, accountFields));
    // Read through `compiled`: a built-in schema compiles at the first event validated against it (compileWhenUsed).
    const entry: SchemaEntry = Object.defineProperties({ type, version, file, source, schema, ...(accountFields ? { accountFields } : {}) }, {
      validate: { get: () => compiled.validate, enumerable: true },
      precheck: { get: () => compiled.precheck, enumerable: true },
    }) as SchemaEntry;
    if (!this.byType.has(type)) this.byType.set(type, new Map());
    this.byType.get(type)!.set(version, entry);
    return entry;
  }

  /** Every `<event_type>.v<N>.json` of `folder`, in name order. */
  addFolder(folder: string): void {
    for (const file of schemaFilesIn(folder)) this.add(file, folder);
  }

  /** The registered type names, sorted. */
  typeNames(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** The loaded versions of `type`, ascending. */
  versionsOf(type: string): number[] {
    return [...(this.byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The loaded versions of `type`, ascending, and the folders they came from. */
  versionsAndSources(type: string): { versions: number[]; sources: string[] } {
    const versions = this.versionsOf(type);
    return { versions, sources: [...new Set(versions.map((v) => this.entry(type, v).source))] };
  }

  /** The schema of a type at a version (the latest when omitted). */
  entry(type: string, version?: number): SchemaEntry {
    const versions = this.byType.get(type);
    if (!versions) throw new UnknownEventTypeError(type, this.typeNames());
    const v = version ?? Math.max(...versions.keys());
    const e = versions.get(v);
    if (!e) throw new UnknownSchemaVersionError(type, v, this.versionsOf(type));
    return e;
  }

  /**
   * The entry `input` names by its EventType and SchemaVersion, or the typed error a client can act on: not an
   * object, no or a malformed EventType (SchemaValidationError), an unknown type or version.
   */
  entryFor(input: unknown): { record: Record<string, unknown>; entry: SchemaEntry } {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new SchemaValidationError('(not an object)', [{ pointer: '', reason: `is ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`, expected: 'a JSON object with EventType, SchemaVersion, RequestId and EventTimeStamp' }]);
    }
    const record = input as Record<string, unknown>;
    const type = record['EventType'];
    const versions = typeof type === 'string' ? this.byType.get(type) : undefined;
    // A registered type name matched the file-name pattern, which is EVENT_TYPE_PATTERN: the regex is for the others.
    if (typeof type !== 'string' || (versions === undefined && !EVENT_TYPE_PATTERN.test(type))) {
      throw new SchemaValidationError('(unknown)', [{ pointer: '/EventType', reason: type === undefined ? 'is required' : 'is not a snake_case event type', expected: `one of ${this.typeNames().join(', ')}` }]);
    }
    const version = record['SchemaVersion'];
    const entry = (typeof version === 'number' ? versions?.get(version) : undefined) ?? this.entry(type, typeof version === 'number' ? version : undefined);
    if (version !== entry.version) throw new UnknownSchemaVersionError(type, version, this.versionsOf(type));
    return { record, entry };
  }

  /**
   * The latest loaded version of `type`, undefined for a type not loaded. Why cached: replay asks once per event; the
   * cache is keyed by how many versions the type had (versions are only ever added).
   */
  latest(type: string): number | undefined {
    const versions = this.byType.get(type);
    if (!versions) return undefined;
    let latest = this.latestByType.get(type);
    if (latest === undefined || latest.count !== versions.size) {
      latest = { count: versions.size, version: Math.max(...versions.keys()) };
      this.latestByType.set(type, latest);
    }
    return latest.version;
  }

  /** Whether any loaded schema declares account fields (most lakes: none, and the per-event lookup is skipped). */
  declaresAccounts(): boolean {
    return this.declaredAccounts.size > 0;
  }

  /** The account fields of `type` at `version`: those its schema declares, else SourceAccount / TargetAccount. */
  accountFields(type: string, version: number): readonly string[] {
    return this.declaredAccounts.get(type)?.get(version) ?? DEFAULT_ACCOUNT_FIELDS;
  }
}
