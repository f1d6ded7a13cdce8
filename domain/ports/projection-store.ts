// Port: where projections live (SQLite locally, DynamoDB in AWS), with idempotency keys and blue/green generations.

import type { DomainEvent, JsonObject } from '../event.ts';
import type { ApplyStatus, Projection, ProjectionState } from '../projection.ts';

export interface ApplyOptions {
  /** The events come from a replay: recorded with each idempotency key, so side-effecting handlers can skip them. */
  readonly replay?: boolean;
}

export interface ApplyOutcome {
  readonly id: string;
  readonly status: ApplyStatus;
}

/** A row of a projection, as read back. */
export interface StoredRow {
  readonly key: string;
  readonly partition: string;
  readonly value: JsonObject;
}

/**
 * Events folded into a generation by a process whose rules are not those that built it (an older client without the
 * extensions module, say): its state may follow those rules for them. Kept until the generation is dropped.
 */
export interface ForeignFold {
  /** The rules fingerprint of the first process that folded so (`balances v1 3f2a9c1e7b04`). */
  readonly rules: string;
  /** When it was first recorded, epoch ms. */
  readonly firstAt: number;
  /** Events folded so, at least: recorded before each delivery's apply (events the generation had not applied), so a retried delivery counts its events again. */
  readonly events: number;
}

/**
 * Stores projection state. A projection has numbered generations: the live one serves reads; a rebuild fills a
 * new one and promotes it once verified (blue/green).
 *
 * @example
 * const gen = await store.liveGeneration('balances');
 * await store.apply(balancesProjection, gen, events);           // each event applied exactly once
 * const cents = await store.counter('balances', gen, 'DE-0001'); // bigint | undefined
 */
export interface ProjectionStore {
  /**
   * Apply events in order; each one atomically with its idempotency key (a duplicate changes nothing,
   * an event the projection does not handle is `skipped`).
   */
  apply(projection: Projection, generation: number, events: readonly DomainEvent[], options?: ApplyOptions): Promise<ApplyOutcome[]>;
  counter(name: string, generation: number, key: string): Promise<bigint | undefined>;
  counters(name: string, generation: number): Promise<Map<string, bigint>>;
  /** Rows of one partition (e.g. one account's statement lines), in key order. */
  rows(name: string, generation: number, partition: string): Promise<StoredRow[]>;
  /**
   * The whole state, for verification. With `{ applied: false }` a store may leave the idempotency records out
   * (`applied` empty): a caller that reads them through `forEachApplied` need not hold them all at once.
   */
  readState(name: string, generation: number, options?: { readonly applied?: boolean }): Promise<ProjectionState>;
  /**
   * A generation's counters, with each of its rows handed to `visitRow` instead of held, all read in one snapshot as
   * `readState` reads them (optional: stores that stream rows). Verification compares a generation of a million rows
   * this way without holding them beside the fold it compares them with.
   */
  readStateStreamed?(name: string, generation: number, visitRow: (key: string, row: { readonly partition: string; readonly value: JsonObject }) => void): Promise<Map<string, bigint>>;
  /** Visit every idempotency record of a generation, one at a time (optional: stores that stream them). */
  forEachApplied?(name: string, generation: number, visit: (id: string, memo: JsonObject | null) => void): Promise<void>;
  /** Whether an event was applied, and if so whether by a replay. */
  appliedRecord(name: string, generation: number, id: string): Promise<{ replay: boolean } | undefined>;
  /** The generation reads are served from (1 for a projection never rebuilt). */
  liveGeneration(name: string): Promise<number>;
  /** A new, empty generation numbered above every existing one. */
  createGeneration(name: string): Promise<number>;
  /** Serve reads from `generation` from now on. */
  promote(name: string, generation: number): Promise<void>;
  dropGeneration(name: string, generation: number): Promise<void>;
  /**
   * Every generation of the projection that exists (created, written to or live, and not dropped), ascending.
   * Optional: operators list kept rebuilds with it (`eventlake generations list`); stores without it are not listed.
   */
  listGenerations?(name: string): Promise<number[]>;
  /**
   * Record events folded into `generation` with other rules than those that built it: the first record's `rules` and
   * `firstAt` stay, `events` adds up. Optional (`foreignFold` reads it back): a store without it records nothing.
   */
  noteForeignFold?(name: string, generation: number, fold: ForeignFold): Promise<void>;
  /** What `noteForeignFold` recorded of a generation; undefined when nothing was (or the store cannot tell). */
  foreignFold?(name: string, generation: number): Promise<ForeignFold | undefined>;
  /**
   * A writer for a replay into a generation nobody else writes meanwhile (a rebuild's replay under its lease) that
   * commits many batches at once. Optional: without it the replay applies and checkpoints each batch.
   */
  stagedReplay?(projection: Projection, generation: number): StagedReplayWriter;
  /** Resumable progress of a rebuild into `generation` (free-form, written by the coordinator). */
  getCheckpoint(name: string, generation: number): Promise<JsonObject | undefined>;
  setCheckpoint(name: string, generation: number, checkpoint: JsonObject): Promise<void>;
}

/**
 * A replay's writer that decides batches as they come and writes them, with the replay's checkpoint, in one
 * transaction. Why: a store whose idempotency keys are random (UUID RequestIds) rewrites most of its key B-tree at
 * every commit once a generation holds millions of them, so fewer, larger commits are what make a long replay fast;
 * staging the decisions (a key and memo per event, summed counter deltas, the last put of each row) instead of the
 * parsed events keeps the memory of a large commit small. A crash loses what was staged and no more: the checkpoint
 * commits with the data, so the replay resumes exactly after the last flush.
 */
export interface StagedReplayWriter {
  /**
   * Decide `events` in order after everything staged since the last flush, exactly as `apply` would (with
   * `{ replay: true }`); nothing is written. A rule's error leaves nothing of `events` staged.
   */
  stage(events: readonly DomainEvent[]): Promise<ApplyOutcome[]>;
  /** Events staged since the last flush. */
  readonly staged: number;
  /**
   * Write what was staged and `checkpoint` in one transaction, then start empty. Throws `StagedReplayRefusedError`
   * (nothing written, nothing staged any more) when the staged decisions cannot be written as decided: the caller
   * applies those events again with `apply`, which decides them against the store and names the event at fault.
   */
  flush(checkpoint: JsonObject): Promise<void>;
  /** Forget what was staged. */
  discard(): void;
}
