// The assembled eventlake an operator drives (the CLI, the demo): every port, the projections and the emit facade.

import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { DeadLetterStore } from '../domain/ports/dead-letter-store.ts';
import type { ArchiveTier } from '../domain/ports/archive-tier.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { ProjectionStore } from '../domain/ports/projection-store.ts';
import type { SnapshotStore } from '../domain/ports/snapshot-store.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { Projection } from '../domain/projection.ts';
import type { BalanceRule } from '../domain/balances.ts';
import type { DispatchStall, StallError } from './dispatch-stall.ts';
import type { Eventlake } from './eventlake.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import type { UpcasterStep } from '../schemas/upcasters.ts';

/** Options of `openLocalEventlake` (adapters/local/open-local-eventlake.ts). */
export interface LocalEventlakeOptions {
  /**
   * The data directory, created when missing. Required here: the `./.eventlake` default and EVENTLAKE_DATA_DIR (like
   * EVENTLAKE_SCHEMAS, EVENTLAKE_EXTENSIONS and EVENTLAKE_RESTORE_DELAY_MS) are read by the CLI, never by this API.
   * An empty string, a file, or a path under a file is refused (`InvalidArgumentError` on `dataDir`), creating nothing.
   */
  readonly dataDir: string;
  /** Extra schema folders (user event types). */
  readonly schemaFolders?: readonly string[];
  /**
   * Simulated archive restore delay: the ms of an Expedited Glacier restore, other tiers and classes scaled from it
   * (the CLI's EVENTLAKE_RESTORE_DELAY_MS). Default 0: a restore completes at once (`restore()` returns with the copy readable).
   */
  readonly restoreDelayMs?: number;
  /** Wall clock in epoch ms (the demo and tests move it). */
  readonly now?: () => number;
  /** Folding rules of user event types for the built-in balances projection. */
  readonly balanceRules?: Readonly<Record<string, BalanceRule>>;
  /** Upcasters of user event types; a breaking version bump without one is refused at open (`SchemaEvolutionError`). */
  readonly upcasters?: readonly UpcasterStep[];
  /** Extra projections beside the built-in balances and statement. */
  readonly projections?: readonly Projection[];
  /**
   * Wrap a port before it is used (fault injection, tracing). Called once per port with its name.
   * @example decorate: (name, port) => (name === 'index' ? failNthCall(port, 3) : port)
   */
  readonly decorate?: <T extends object>(name: PortName, port: T) => T;
  /**
   * Told when indexing or dispatching right after an emit fails; the emit itself still succeeds (its events are
   * durable) and the next emit or read catches up. Default: one line on stderr.
   */
  readonly onCatchUpError?: (error: unknown) => void;
  /** Dispatch retry policy (tests use tiny backoffs). */
  readonly dispatch?: { readonly maxAttempts?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
}

/** Names of the ports `decorate` sees. */
export type PortName = 'log' | 'index' | 'store' | 'snapshots' | 'archive' | 'checkpoints' | 'deadLetters' | 'dispatcher';

/** What a catch-up did. */
export interface CatchUpReport {
  readonly indexed: number;
  readonly dispatched: number;
  readonly deadLettered: number;
  /**
   * Present when a full or failing disk (`StorageFullError`), or a store failing whatever the event (`StorageError`: a
   * read-only or damaged projections.db), stalled dispatch: the events stay indexed and a later catch-up resumes.
   */
  readonly dispatchStalled?: StallError;
}

/**
 * Ports, projections and the facade, assembled: the embedded default (one data directory) or AWS (a bucket,
 * tables and a bus). CLI commands are written against this, so they run on either target.
 */
export interface EventlakeRuntime {
  /** Which target this is: the embedded default, or a deployed AWS stack (where Lambdas index and dispatch). */
  readonly target: 'local' | 'aws';
  /** Where the data lives: a data directory, or `s3://bucket` for AWS. */
  readonly dataDir: string;
  readonly registry: SchemaRegistry;
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly store: ProjectionStore;
  readonly snapshots: SnapshotStore;
  readonly archive: ArchiveTier;
  readonly checkpoints: CheckpointStore;
  readonly deadLetters: DeadLetterStore;
  /** balances, statement, and any extra ones. */
  readonly projections: readonly Projection[];
  readonly lake: Eventlake;
  /** Upcast an event read from the log to its type's latest version. */
  readonly upcast: (event: DomainEvent) => DomainEvent;
  /** Epoch ms. */
  readonly now: () => number;
  /**
   * Index everything the log journaled, then dispatch everything indexed to the projections. One running when `close()`
   * is called stops at its next batch and answers what it did (kept: the next open goes on from there).
   */
  catchUp(): Promise<CatchUpReport>;
  /**
   * Index everything the log journaled, dispatching nothing: for commands that read only the index, such as
   * `restore --since --until` choosing archived objects, which must work while dispatch waits on one. Absent on AWS,
   * where Lambdas index each object as it lands (nothing to catch up here).
   */
  catchUpIndex?(): Promise<{ readonly indexed: number }>;
  /**
   * Locally, dispatch held back by a full or failing disk, as the last catch-up of this process met it (cleared once
   * one catches up), else as another process recorded it in the data dir (`recordedBy`: a `status` run sees a serving
   * process's stall so); undefined when it is not, and on AWS. Emits still store and reads answer what is applied meanwhile.
   */
  dispatchStall?(): DispatchStall | undefined;
  /** Deliver dead letters again (all, or one target's); each that succeeds leaves the dead-letter store. */
  redriveDeadLetters(target?: string): Promise<{ readonly redriven: number; readonly failed: number }>;
  /** Dispatch checkpoint position (everything at or below it was delivered or dead-lettered). */
  dispatchedPosition(): Promise<number>;
  /**
   * Release the databases and files. From the moment it is called every later call of the runtime, its ports and its
   * `lake` refuses with `ClosedError` (code `CLOSED`); calls already started (an emit, a query, a rebuild's step) are
   * waited for and answer as if nothing happened, and only then are the databases closed. So a long call (an emit of a
   * large batch) delays close() until it ends, and a rebuild, made of many calls, fails with ClosedError at its next
   * one: stop long work first. The leases this runtime holds (a rebuild's, an archive run's) are freed, so the next run
   * is not refused. A catch-up (a backlog, another process emitting faster than this one dispatches) stops at its next
   * batch instead of being waited for, and a projection read whose catch-up it cut short refuses with ClosedError
   * rather than answer without the events left. Calling `close()` again waits for the same.
   */
  close(): Promise<void>;
}

/** The embedded default is a runtime on one data directory. */
export type LocalEventlake = EventlakeRuntime;
