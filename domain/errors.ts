// The error hierarchy of eventlake: every failure a caller may branch on has a class and a stable `code`. The base
// class and the schema errors live in their own modules and are re-exported here, so callers import every error from
// this one place.

import { batchRejectedMessage } from './batch-failures.ts';
import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError } from './eventlake-error.ts';

export { EventlakeError, type FieldIssue } from './eventlake-error.ts';
export {
  SchemaValidationError, UnknownEventTypeError, UnknownSchemaVersionError, StoredEventInvalidError,
  StoredEventTypeUnknownError, StoredEventVersionUnknownError, UpcastError, SchemaEvolutionError, type EvolutionFinding,
  SchemaAccountFieldsError,
} from './schema-errors.ts';
export { ALLOW_FOREIGN_OWNER, DataDirForeignOwnerError, DataDirNotWritableError, type NotWritableDetails } from './data-dir-errors.ts';
export { QueryTimeoutError } from './query-errors.ts';
export { CounterRangeError, type CounterRange, type CounterRangeContext } from './counter-range-error.ts';

/**
 * A staged replay's flush could not write its decisions as made (an idempotency key of them was stored meanwhile, or a
 * counter's sum leaves its range): nothing was written. The replay applies those events again one batch at a time,
 * which decides them against the store and names the event at fault; users never see this error.
 */
export class StagedReplayRefusedError extends EventlakeError {
  readonly code = 'STAGED_REPLAY_REFUSED';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`the staged replay batch was not written (${reason}): it is applied again batch by batch`, options);
  }
}

/** The serialized event is larger than the log accepts. */
export class EventTooLargeError extends EventlakeError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(readonly eventId: string, readonly size: number, readonly limit: number) {
    super(`event ${eventId} is ${size} bytes; the limit is ${limit} bytes: shorten free-text fields such as Reference`);
  }
}

/**
 * An event with the same identity but different content is already in the log at `key`, or (with `positions`) appears
 * twice in one input with different content. Nothing of that input was written either way.
 */
export class EventConflictError extends EventlakeError {
  readonly code = 'EVENT_CONFLICT';
  /**
   * For a conflict within one input, the 0-based input positions of the first copy and of the first that differs
   * from it (`key` is then where the event would have been stored: nothing is there); undefined for a stored conflict.
   */
  readonly positions: readonly [number, number] | undefined;
  constructor(readonly eventId: string, readonly key: string, options?: { cause?: unknown; positions?: readonly [number, number] }) {
    const within = options?.positions;
    // One code for both: either way the identity names two contents; "already stored" would mislead within one input.
    super(within
      ? `event ${eventId} appears twice in this input with different content (#${within[0]} and #${within[1]}), so nothing was stored: ` +
        'an identity (EventType + RequestId) names one immutable event, so send one version of it, or give the other event a new RequestId'
      : `event ${eventId} already exists at ${key} with different content: events are immutable; a retry of the same operation ` +
        'must send the content first sent (a copy at another SchemaVersion is taken when both upcast alike), only another operation takes a new RequestId',
    options && 'cause' in options ? { cause: options.cause } : undefined);
    this.positions = within;
  }

  /**
   * This conflict numbered by the caller's input, for a caller that appended only part of it: `inputAt[p]` is the
   * input position of the appended event at `p`. A stored conflict has no positions and is returned as it is.
   */
  inInput(inputAt: readonly number[]): EventConflictError {
    if (!this.positions) return this;
    const [first, second] = this.positions;
    return new EventConflictError(this.eventId, this.key, { positions: [inputAt[first] ?? first, inputAt[second] ?? second] });
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
  constructor(readonly key: string, readonly storageClass: string, options?: { cause?: unknown }, spell: SpellCommand = bareCommand) {
    super(`object ${key} is in ${storageClass}: restore it first (${spell('restore', '--keys', key)}) and retry once the restore completes`, options);
  }

  /** The same error, its restore command spelled by `spell` (the CLI adds the global options given). */
  spelledWith(spell: SpellCommand): ArchivedEventError {
    return new ArchivedEventError(this.key, this.storageClass, { cause: this.cause }, spell);
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
  constructor(readonly dataDir: string, readonly evidence: string, spell: SpellCommand = (...args) => bareCommand('--data-dir', dataDir, ...args)) {
    super(`dataDir: ${dataDir} holds stored events (${evidence}) but has no index.db (it was lost, removed or emptied), ` +
      'so nothing was opened or created: a new index.db made from the ingest journal would miss every event compaction moved. ' +
      `Stop every process using the data dir, then rebuild index.db from the objects: ${spell('repair', 'index')}`);
  }

  /**
   * The same error, its repair command spelled by `spell`: the CLI repeats every global option given, `--schemas`
   * included, which `repair index` needs to index the accounts of user event types.
   */
  spelledWith(spell: SpellCommand): IndexLostError {
    return new IndexLostError(this.dataDir, this.evidence, spell);
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

/** Some events of one input are invalid; nothing was written. `failures` holds every one; the message lists the first 100. */
export class BatchRejectedError extends EventlakeError {
  readonly code = 'BATCH_REJECTED';
  constructor(readonly failures: readonly { readonly index: number; readonly error: EventlakeError }[], readonly total: number) {
    super(batchRejectedMessage(failures, total));
  }
}

/**
 * The disk (or quota) holding local data is full, or failed an I/O (ENOSPC, EDQUOT, EIO, SQLITE_FULL, SQLITE_IOERR).
 * Not a `TransientError`: retrying will not help until space is freed, and dispatch pauses on it, never dead-letters.
 * `where` names the file or folder; the message says what of the operation was kept, so a caller knows whether to re-send.
 */
export class StorageFullError extends EventlakeError {
  readonly code = 'STORAGE_FULL';
  constructor(readonly where: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
