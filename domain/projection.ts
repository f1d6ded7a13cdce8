// What a projection is: a pure decision per event (counter deltas, row upserts, a memo), and the reference fold.
//
// Why decisions read "related" records: a verification replaces its deposit's amount, so the effect of one event
// depends on whether another was applied. Stores make that read and the write one atomic step (a SQLite transaction,
// a DynamoDB ConditionCheck), which keeps the result independent of delivery order and duplicates.

import type { DomainEvent, JsonObject } from './event.ts';
import { eventId } from './event.ts';
import { checkChanges } from './projection-changes-check.ts';
import { ProjectionRuleError } from './projection-errors.ts';

/** What a store remembers of an applied event: its identity (the idempotency key) and the projection's memo. */
export interface AppliedRecord {
  readonly id: string;
  readonly memo: JsonObject | null;
}

/** Add `delta` (cents or any integer) to the counter `key`. */
export interface CounterChange {
  readonly key: string;
  readonly delta: bigint;
}

/** Insert or replace the row `key`. `partition` groups rows for reads (e.g. the account of a statement line). */
export interface RowPut {
  readonly key: string;
  readonly partition: string;
  readonly value: JsonObject;
}

/** Everything one event changes in a projection. */
export interface Changes {
  readonly counters?: readonly CounterChange[];
  readonly rows?: readonly RowPut[];
  /** Kept with the idempotency key, for later decisions of related events. */
  readonly memo?: JsonObject;
}

/**
 * A projection: pure rules that turn events into changes. Stores apply them exactly once per event identity.
 *
 * @example
 * const counts: Projection = {
 *   name: 'type_counts', version: 1,
 *   handles: () => true, related: () => [],
 *   decide: (e) => ({ counters: [{ key: e.EventType, delta: 1n }] }),
 * };
 */
export interface Projection {
  /** Stable name, used in table names, snapshot tags and dispatch rule names. */
  readonly name: string;
  /** Version of the rules; bump it when decisions change, then rebuild. */
  readonly version: number;
  /** Whether this projection reacts to the event; others are skipped and counted, never failed. */
  handles(event: DomainEvent): boolean;
  /** Identities of other events whose application records `decide` needs. */
  related(event: DomainEvent): readonly string[];
  /** The changes of `event`, given the applied records of its related events that exist. */
  decide(event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>): Changes;
  /**
   * What it folds each event type with (a function, or an object of functions such as a balance rule), built-in rules
   * included. Optional: only read to fingerprint the rules a generation was built with, so a rebuild never takes over
   * one built with other rules; without it the fingerprint reads `handles`, `related` and `decide` themselves.
   */
  readonly rules?: Readonly<Record<string, object>>;
}

/** A projection's whole state, as stores export it and as the reference fold computes it. */
export interface ProjectionState extends FoldState {
  readonly applied: Map<string, AppliedRecord>;
}

/**
 * What folding reads and writes of the idempotency records: a Map is one. A rebuild's reference fold keeps its own
 * packed (projections/rebuild/packed-applied-records.ts), as it holds one per event of the log.
 */
export interface AppliedRecordSet {
  has(id: string): boolean;
  get(id: string): AppliedRecord | undefined;
  set(id: string, record: AppliedRecord): unknown;
}

/** The state `applyToState` folds into: a `ProjectionState`, or counters and rows beside idempotency records kept otherwise. */
export interface FoldState {
  readonly counters: Map<string, bigint>;
  readonly rows: Map<string, { partition: string; value: JsonObject }>;
  readonly applied: AppliedRecordSet;
}

export type ApplyStatus = 'applied' | 'duplicate' | 'skipped';

const NO_RELATED: ReadonlyMap<string, AppliedRecord> = new Map();

/** An empty state. */
export function emptyState(): ProjectionState {
  return { counters: new Map(), rows: new Map(), applied: new Map() };
}

/**
 * Apply one event to an in-memory state with the same semantics every store must have.
 * This is the reference the stores' contract tests and `verify --against log` compare with.
 *
 * @param knownId the event's identity when the caller already holds it as a string (it must equal `eventId(event)`).
 *   Why: a fold of a million events otherwise builds a million fresh identities, each hashed anew by every lookup.
 * @throws ProjectionRuleError when a rule of the projection throws on the event, or returns changes that are not what
 *   `Changes` says (a delta that is not a bigint: projection-changes-check.ts); the rule's error is its `cause`.
 */
export function applyToState(state: FoldState, projection: Projection, event: DomainEvent, knownId?: string): ApplyStatus {
  try {
    return applyRules(state, projection, event, knownId);
  } catch (error) {
    throw ruleFailure(projection, event, error);
  }
}

function applyRules(state: FoldState, projection: Projection, event: DomainEvent, knownId?: string): ApplyStatus {
  if (!projection.handles(event)) return 'skipped';
  const id = knownId ?? eventId(event);
  if (state.applied.has(id)) return 'duplicate';
  // Most events have no applied related record: they share one empty map instead of allocating their own.
  let related: Map<string, AppliedRecord> | undefined;
  for (const r of projection.related(event)) {
    const rec = state.applied.get(r);
    if (rec) (related ??= new Map()).set(r, rec);
  }
  const changes = checkChanges(projection.name, event, projection.decide(event, related ?? NO_RELATED));
  for (const c of changes.counters ?? []) state.counters.set(c.key, (state.counters.get(c.key) ?? 0n) + c.delta);
  for (const r of changes.rows ?? []) state.rows.set(r.key, { partition: r.partition, value: r.value });
  state.applied.set(id, { id, memo: changes.memo ?? null });
  return 'applied';
}

/** Fold events into a fresh state: the direct computation a rebuild is verified against. Throws as `applyToState`. */
export function foldEvents(projection: Projection, events: Iterable<DomainEvent>, initial: ProjectionState = emptyState()): ProjectionState {
  for (const e of events) applyToState(initial, projection, e);
  return initial;
}

/** A rule's error as the typed one naming the projection and the event (as it is when it is one already). */
function ruleFailure(projection: Projection, event: DomainEvent, error: unknown): ProjectionRuleError {
  if (error instanceof ProjectionRuleError) return error;
  return new ProjectionRuleError(projection.name, eventId(event), String(event.EventType), error);
}

/**
 * `projection` with its rules' errors thrown as `ProjectionRuleError`, for a store to apply with: a store's own
 * failures then stay apart from the rule's (an adapter wraps any other error in a storage error of its own). What
 * `decide` returns is checked as `changesChecked` does.
 *
 * @example
 * await store.apply(ruleErrorsTyped(balancesProjection), generation, events); // a throwing rule: ProjectionRuleError
 */
export function ruleErrorsTyped(projection: Projection): Projection {
  // A try in each method rather than one helper taking a closure: a replay calls them for every event.
  return {
    name: projection.name,
    version: projection.version,
    handles(event) {
      try { return projection.handles(event); } catch (error) { throw ruleFailure(projection, event, error); }
    },
    related(event) {
      try { return projection.related(event); } catch (error) { throw ruleFailure(projection, event, error); }
    },
    decide(event, related) {
      try { return checkChanges(projection.name, event, projection.decide(event, related)); } catch (error) { throw ruleFailure(projection, event, error); }
    },
    ...(projection.rules ? { rules: projection.rules } : {}),
  };
}

/**
 * `projection` with what its `decide` returns checked before a store applies it (projection-changes-check.ts): changes
 * that are not what `Changes` says throw `ProjectionRuleError`, and nothing of that event is applied. Its rules' own
 * errors stay as they are (dispatch's dead letters show them so); `ruleErrorsTyped` types those too.
 *
 * @example
 * await store.apply(changesChecked(myProjection), generation, events); // a delta of '5': ProjectionRuleError
 */
export function changesChecked(projection: Projection): Projection {
  return {
    name: projection.name,
    version: projection.version,
    handles: (event) => projection.handles(event),
    related: (event) => projection.related(event),
    decide: (event, related) => checkChanges(projection.name, event, projection.decide(event, related)),
    ...(projection.rules ? { rules: projection.rules } : {}),
  };
}
