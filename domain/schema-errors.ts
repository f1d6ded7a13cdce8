// Errors of events against their schemas: validation, unknown types and versions (also of events read back from the
// log), upcasting, and schema evolution without an upcaster.

import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError, type FieldIssue } from './eventlake-error.ts';

function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `  ${i.pointer || '(event)'}: ${i.reason}; expected ${i.expected}`).join('\n');
}

/** The event does not satisfy its JSON Schema or a domain rule. Lists every failing field. */
export class SchemaValidationError extends EventlakeError {
  readonly code = 'SCHEMA_VALIDATION';
  constructor(
    readonly eventId: string,
    readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`event ${eventId} is invalid (${issues.length} field${issues.length === 1 ? '' : 's'}):\n${describeIssues(issues)}`, options);
  }
}

/** No schema is registered for the event's `EventType`. */
export class UnknownEventTypeError extends EventlakeError {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(readonly eventType: string, readonly known: readonly string[]) {
    super(`unknown EventType "${eventType}": add a schema file for it (known types: ${known.join(', ') || 'none'})`);
  }
}

/** The event's type is known but not at its `SchemaVersion`. */
export class UnknownSchemaVersionError extends EventlakeError {
  readonly code = 'UNKNOWN_SCHEMA_VERSION';
  constructor(readonly eventType: string, readonly version: unknown, readonly known: readonly number[]) {
    const use = `one of ${known.join(', ')}`;
    super(version === undefined || version === null ? `SchemaVersion is missing on a "${eventType}" event: it is required, an integer (${use})`
      : typeof version !== 'number' ? `SchemaVersion ${JSON.stringify(version)} of a "${eventType}" event is a ${typeof version}: give it as an integer (${use})`
        : `EventType "${eventType}" has no SchemaVersion ${version}: use ${use}`);
  }
}

/** What the stored-event errors say about a type or version with events in the log that no loaded schema defines. */
function storedButUndefined(eventId: string, eventType: string, version: unknown): string {
  return `the log holds ${eventId}, of type ${eventType} v${String(version)}, which no loaded schema defines: load the folder with ` +
    `${eventType}.v${String(version)}.json (--schemas or EVENTLAKE_SCHEMAS); events in the log are never rewritten, so a type or version with stored events must stay`;
}

/**
 * An event read back from the log (replay) fails the schema of the version it was written at: that schema file was
 * changed after the event was stored, or the stored event was altered. A `SchemaValidationError` (same code and fields).
 */
export class StoredEventInvalidError extends SchemaValidationError {
  constructor(eventId: string, issues: readonly FieldIssue[], readonly schema: { readonly type: string; readonly version: number; readonly file: string }, spell: SpellCommand = bareCommand) {
    super(eventId, issues);
    this.message = `stored event ${eventId} no longer passes the schema it was written with, ${schema.type} v${schema.version} (${schema.file}) ` +
      `(${issues.length} field${issues.length === 1 ? '' : 's'}):\n${describeIssues(issues)}\nevents in the log are never rewritten: if that file changed ` +
      'after the event was stored, restore that file as it was when the event was written and put the change in a new version with an upcaster; ' +
      `if the event itself was altered, run ${spell('check')}`;
  }

  /** The same error, its `check` spelled by `spell` (the CLI adds the global options given). */
  spelledWith(spell: SpellCommand): StoredEventInvalidError {
    return new StoredEventInvalidError(this.eventId, this.issues, this.schema, spell);
  }
}

/** An event read back from the log (replay) is of a type no loaded schema defines: its schema folder was not loaded. */
export class StoredEventTypeUnknownError extends UnknownEventTypeError {
  constructor(readonly eventId: string, eventType: string, readonly version: unknown, known: readonly string[]) {
    super(eventType, known);
    this.message = storedButUndefined(eventId, eventType, version);
  }
}

/** An event read back from the log (replay) is at a version of its type no loaded schema defines. */
export class StoredEventVersionUnknownError extends UnknownSchemaVersionError {
  constructor(readonly eventId: string, eventType: string, version: unknown, known: readonly number[]) {
    super(eventType, version, known);
    this.message = storedButUndefined(eventId, eventType, version);
  }
}

/**
 * An upcaster threw, returned no event, or returned one its target version's schema rejects (`issues`): the event
 * cannot be read at the latest version. The stored event is untouched; the upcaster is what needs fixing.
 */
export class UpcastError extends EventlakeError {
  readonly code = 'UPCAST_FAILED';
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly fromVersion: number,
    readonly issues: readonly FieldIssue[],
    problem: string,
    options?: { cause?: unknown },
  ) {
    const step = `${eventType} v${fromVersion} → v${fromVersion + 1}`;
    super(`the upcaster ${step} ${problem} for event ${eventId}${issues.length > 0 ? ` (${issues.length} field${issues.length === 1 ? '' : 's'}):\n${describeIssues(issues)}\n` : '; '}` +
      `fix the upcaster (registry.addUpcaster or the upcasters of --extensions) so it returns a valid v${fromVersion + 1} event; events in the log are never rewritten`, options);
  }
}

/** One breaking change between consecutive versions of a type that no upcaster covers (as `schemas check` reports it). */
export interface EvolutionFinding {
  readonly type: string;
  /** The older version; the change is in `file`, the schema of `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly file: string;
  /** JSON pointer into `file`. */
  readonly pointer: string;
  /** The versions, the change and the fix, e.g. `v1 → v2: the new field Reason is required; add an upcaster …`. */
  readonly message: string;
}

/** `\`eventlake schemas check FOLDER\` lists` for the folder of each finding's file (known, so printed, not DIR). */
function folderChecks(findings: readonly EvolutionFinding[], spell: SpellCommand): string {
  const folders = [...new Set(findings.map((f) => f.file.slice(0, Math.max(f.file.lastIndexOf('/'), 1))))];
  return `${folders.map((dir) => `\`${spell('schemas', 'check', dir)}\``).join(' and ')} list${folders.length === 1 ? 's' : ''}`;
}

/**
 * A schema version breaks the one loaded before it (a removed, renamed, newly required or narrowed field) and no upcaster
 * lifts the older version: its stored events would reach projections and replay in a shape the newer version does
 * not promise. Refused when the registry is opened or first used, before any event is written or read.
 */
export class SchemaEvolutionError extends EventlakeError {
  readonly code = 'SCHEMA_EVOLUTION';
  constructor(readonly findings: readonly EvolutionFinding[], spell: SpellCommand = bareCommand) {
    super(`${findings.length} breaking schema change(s) without an upcaster, refused before any event is written or read ` +
      `(older events would be read in a shape the newer version does not promise; ${folderChecks(findings, spell)} the same):\n` +
      findings.map((f) => `  ${f.type} ${f.message} (${f.file}, at ${f.pointer || '(schema)'})`).join('\n'));
  }

  /** The same error, `schemas check` spelled by `spell`: with --extensions, whose upcasters it counts. */
  spelledWith(spell: SpellCommand): SchemaEvolutionError {
    return new SchemaEvolutionError(this.findings, spell);
  }
}

/**
 * A schema's account-field declaration (`x-eventlake-accounts`) is unusable: it names a field the schema lacks or
 * that is not a string, or more fields than the index has per-account slots (the DynamoDB index has two GSIs).
 * Refused at load, because the index would otherwise miss those accounts without a word.
 */
export class SchemaAccountFieldsError extends EventlakeError {
  readonly code = 'SCHEMA_ACCOUNT_FIELDS';
  constructor(readonly file: string, readonly keyword: string, readonly problems: readonly string[]) {
    super(`${file}: "${keyword}" ${problems.join('; ')}`);
  }
}
