// The error hierarchy of eventlake: every failure a caller may branch on has a class and a stable `code`.

/** One failing field of an event: where (JSON pointer), what is wrong, and what would be valid. */
export interface FieldIssue {
  /** JSON pointer to the field, e.g. `/Amount`; `''` for the event as a whole. */
  readonly pointer: string;
  /** What is wrong, e.g. `must match pattern`. */
  readonly reason: string;
  /** What would be valid, e.g. `a decimal string with exactly two decimals, such as "123.45"`. */
  readonly expected: string;
}

/** Base of every eventlake error. Branch on the class (or on `code`, which never changes). */
export abstract class EventlakeError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

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
  constructor(eventId: string, issues: readonly FieldIssue[], readonly schema: { readonly type: string; readonly version: number; readonly file: string }) {
    super(eventId, issues);
    this.message = `stored event ${eventId} no longer passes the schema it was written with, ${schema.type} v${schema.version} (${schema.file}) ` +
      `(${issues.length} field${issues.length === 1 ? '' : 's'}):\n${describeIssues(issues)}\nevents in the log are never rewritten: if that file changed ` +
      'after the event was stored, restore that file as it was when the event was written and put the change in a new version with an upcaster; ' +
      'if the event itself was altered, run eventlake check';
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

/**
 * A schema version breaks the one before it (a removed, renamed, newly required or narrowed field) and no upcaster
 * lifts the older version: its stored events would reach projections and replay in a shape the newer version does
 * not promise. Refused when the registry is opened or first used, before any event is written or read.
 */
export class SchemaEvolutionError extends EventlakeError {
  readonly code = 'SCHEMA_EVOLUTION';
  constructor(readonly findings: readonly EvolutionFinding[]) {
    super(`${findings.length} breaking schema change(s) without an upcaster, refused before any event is written or read ` +
      `(older events would be read in a shape the newer version does not promise; \`eventlake schemas check DIR\` lists the same):\n` +
      findings.map((f) => `  ${f.type} ${f.message} (${f.file}, at ${f.pointer || '(schema)'})`).join('\n'));
  }
}

/** The serialized event is larger than the log accepts. */
export class EventTooLargeError extends EventlakeError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(readonly eventId: string, readonly size: number, readonly limit: number) {
    super(`event ${eventId} is ${size} bytes; the limit is ${limit} bytes: shorten free-text fields such as Reference`);
  }
}

/** An event with the same identity but different content is already in the log. Nothing was written. */
export class EventConflictError extends EventlakeError {
  readonly code = 'EVENT_CONFLICT';
  constructor(readonly eventId: string, readonly key: string, options?: { cause?: unknown }) {
    super(`event ${eventId} already exists at ${key} with different content: events are immutable, emit a new RequestId instead`, options);
  }
}

/** No event (or object) at that identity or location. */
export class EventNotFoundError extends EventlakeError {
  readonly code = 'EVENT_NOT_FOUND';
  constructor(readonly ref: string, options?: { cause?: unknown }) {
    super(`no event at ${ref}`, options);
  }
}

/** The event's object is in an archive storage class and has not been restored. */
export class ArchivedEventError extends EventlakeError {
  readonly code = 'EVENT_ARCHIVED';
  constructor(readonly key: string, readonly storageClass: string, options?: { cause?: unknown }) {
    super(`object ${key} is in ${storageClass}: restore it first (eventlake restore --keys ${key}) and retry once the restore completes`, options);
  }
}

/** A restore request the archive tier cannot honour (e.g. Expedited from DEEP_ARCHIVE). */
export class RestoreRequestError extends EventlakeError {
  readonly code = 'RESTORE_REJECTED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A caller passed an argument that cannot be used (a bad timestamp, an unknown option value). */
export class InvalidArgumentError extends EventlakeError {
  readonly code = 'INVALID_ARGUMENT';
  constructor(readonly argument: string, message: string) {
    super(`${argument}: ${message}`);
  }
}

/** A dependency failed in a way that may succeed on retry (throttling, a timeout, a lost connection). */
export class TransientError extends EventlakeError {
  readonly code = 'TRANSIENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A storage service (DynamoDB, S3) failed in a way a retry will not fix: access denied, a missing table, a
 * malformed request. The service's own error is the `cause`.
 */
export class StorageError extends EventlakeError {
  readonly code = 'STORAGE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A journal offset lies in a segment of the local ingest journal that was deleted: the log deletes a segment once
 * every event in it is materialized and every registered reader (the LocalIndexer's checkpoint) has passed it, so only
 * a reader the log did not know about, or a lost index or catalogue, asks for one. Nothing is skipped silently.
 */
export class JournalSegmentDeletedError extends EventlakeError {
  readonly code = 'JOURNAL_SEGMENT_DELETED';
  /** `hint`, when given, replaces the default fix: the reader that hit the deleted segment may know a better one. */
  constructor(readonly offset: number, readonly oldest: number, options?: { cause?: unknown; hint?: string }) {
    super(`journal offset ${offset} is in a deleted journal segment (the journal now starts at ${oldest}): the events before ${oldest} are only in the log's objects; ` +
      (options?.hint ?? 'restore the data dir (with its index.db and journal/catalogue.db) from a backup, or register the reader with the log (FsEventLog option journalReaders) so its segments are kept'),
      options);
  }
}

/**
 * A local data dir holds stored events (its ingest journal is not empty, or its event folders hold objects) but lost
 * index.db. Opening it would make a new index.db from the journal, whose deleted segments held the events compaction
 * moved: reads would answer from a part of the log, and a new event would sit below the dispatch checkpoint, never
 * applied. Nothing is opened or created; `eventlake repair index` rebuilds index.db from the objects.
 */
export class IndexLostError extends EventlakeError {
  readonly code = 'INDEX_LOST';
  /** `evidence`: why the data dir holds events (its journal's end, or its event objects), as the message says it. */
  constructor(readonly dataDir: string, readonly evidence: string) {
    super(`dataDir: ${dataDir} holds stored events (${evidence}) but has no index.db (it was lost, removed or emptied), ` +
      'so nothing was opened or created: a new index.db made from the ingest journal would miss every event compaction moved. ' +
      `Stop every process using the data dir, then rebuild index.db from the objects: eventlake --data-dir ${dataDir} repair index`);
  }
}

/**
 * A call reached something already closed (a runtime after `close()`): nothing was read or written. The fix is to
 * open it again; `resource` names what was closed, the message how to reopen it.
 */
export class ClosedError extends EventlakeError {
  readonly code = 'CLOSED';
  constructor(readonly resource: string, reopen: string) {
    super(`${resource} is closed (its close() was called), so nothing was read or written: ${reopen}`);
  }
}

/** A query engine rejected or failed a query. */
export class QueryFailedError extends EventlakeError {
  readonly code = 'QUERY_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The operation is not available on this target (local or aws); the message says what to use instead. */
export class UnsupportedOnTargetError extends EventlakeError {
  readonly code = 'UNSUPPORTED_ON_TARGET';
  constructor(readonly operation: string, readonly target: string, instead: string, options?: { cause?: unknown }) {
    super(`${operation} is not available with --target ${target}: ${instead}`, options);
  }
}

/** Some events of one input are invalid; nothing of that input was written. Lists each bad event by position. */
export class BatchRejectedError extends EventlakeError {
  readonly code = 'BATCH_REJECTED';
  constructor(readonly failures: readonly { readonly index: number; readonly error: EventlakeError }[], readonly total: number) {
    super(`${failures.length} of ${total} event(s) rejected; nothing was written:\n` +
      failures.map((f) => `#${f.index}: ${f.error.message}`).join('\n'));
  }
}
