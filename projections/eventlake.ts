// The emit API other services call: validate a whole input, append it to the log, and read projections back.

import { BatchRejectedError, EventConflictError, EventlakeError } from '../domain/errors.ts';
import { eventId, type DomainEvent } from '../domain/event.ts';
import { formatAmount } from '../domain/money.ts';
import type { AppendResult, EventLog } from '../domain/ports/event-log.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { ProjectionStore } from '../domain/ports/projection-store.ts';
import { plainSnapshot } from '../schemas/event-snapshot.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import { lookUpAll, type EmitIndex } from './index-lookups.ts';
import { findKnownCopies } from './indexed-copies.ts';
import { assertKnownProjection } from './known-projection.ts';
import { newRequestId as defaultRequestId, withRequestId } from './request-id.ts';
import { appendSettlingVersions } from './version-retries.ts';

export interface EventlakeDeps {
  readonly registry: SchemaRegistry;
  readonly log: EventLog;
  readonly store: ProjectionStore;
  /**
   * When given, identities already indexed under another key (compacted, another hour, a legacy RequestId case) are
   * caught before the append. Every lookup of one append is made up front: in one `getMany` when the index has it.
   */
  readonly index?: EventIndex & EmitIndex;
  /**
   * Runs after every append (locally: index the new events and drain dispatch; in AWS, S3 notifications do it).
   * Its failure does not fail the emit: the events are durable by then, and the next catch-up (the next emit or
   * projection read) starts where this one stopped. Reporting a stored event as failed would send clients into
   * retries that only answer `duplicate`, and tell a CLI user their input was not taken when it was.
   */
  readonly afterAppend?: () => Promise<void>;
  /** Told when `afterAppend` fails (default: nothing; reads still catch up first and throw what stays broken). */
  readonly onAfterAppendError?: (error: unknown) => void;
  /** Brings projections up to date with the log; runs before every projection read. */
  readonly catchUp?: () => Promise<void>;
  /**
   * Names of the projections `balance` and `balances` may read; another name is refused (`InvalidArgumentError` on
   * `projection`). Without it any name is read, and one never written reads as empty.
   */
  readonly projections?: readonly string[];
  /** Makes the RequestId of an event emitted without one (default: a time-ordered UUIDv7, `newRequestId`). */
  readonly newRequestId?: () => string;
}

/** What `emit` reports per event, in input order. */
export type EmitResult = Pick<AppendResult, 'id' | 'key' | 'status'>;

/**
 * The facade services emit through.
 *
 * @example
 * const results = await lake.emit([{ EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000, ... }]);
 * // [{ id: 'cash_deposit_…', key: 'events/year=2024/…', status: 'stored' }]
 * const balance = await lake.balance('DE44-5001-0517'); // "123.45" (a decimal string; undefined for an account no event touched)
 */
export class Eventlake {
  constructor(private readonly deps: EventlakeDeps) {}

  /**
   * Validate every event of one input (filling a missing RequestId with a new UUID) without writing anything.
   * Throws `BatchRejectedError` listing every bad event when any is invalid.
   */
  prepare(inputs: readonly unknown[]): DomainEvent[] {
    return prepareEvents(this.deps.registry, inputs, this.deps.newRequestId);
  }

  /** Validate the whole input, then append it; nothing is written when any event is invalid. */
  async emit(input: unknown | readonly unknown[]): Promise<EmitResult[]> {
    return this.append(this.prepare(Array.isArray(input) ? input : [input]));
  }

  /**
   * Append events that `prepare` (or `prepareEvents` with this registry) already validated, without validating
   * them again: for callers that check a whole input before opening anything, as the CLI does.
   */
  async append(input: readonly DomainEvent[]): Promise<EmitResult[]> {
    if (input.length === 0) return [];
    // A conflict with a stored copy at another SchemaVersion that upcasts alike is a retry: reported duplicate.
    return appendSettlingVersions(this.deps, input, (events) => this.appendOnce(events));
  }

  private async appendOnce(input: readonly DomainEvent[]): Promise<EmitResult[]> {
    const index = this.deps.index && (await lookUpAll(this.deps.index, input.flatMap(identitiesToLookUp)));
    const events = index ? await storedCase(index, input) : input;
    const known = index ? await findKnownCopies(index, this.deps.log, events) : new Map();
    const fresh = events.filter((_, i) => !known.has(i));
    // The log numbers a conflict within the input by position in `fresh`; the caller's input holds the known copies too.
    // Mapped only on a conflict: an append's cost per event stays what it was.
    const renumber = (e: unknown) => { throw e instanceof EventConflictError ? e.inInput(events.flatMap((_, i) => (known.has(i) ? [] : [i]))) : e; };
    const appended = fresh.length > 0 ? await this.deps.log.append(fresh).catch(renumber) : [];
    // Also when every event was known: a re-send after a crash finds them stored, but maybe not yet dispatched, and
    // status said "any emit catches up".
    await this.afterAppend();
    let next = 0;
    return events.map((_, i): EmitResult => {
      const copy = known.get(i);
      if (copy) return { ...copy, status: 'duplicate' };
      const { id, key, status } = appended[next++]!;
      return { id, key, status };
    });
  }

  private async afterAppend(): Promise<void> {
    try {
      await this.deps.afterAppend?.();
    } catch (error) {
      this.deps.onAfterAppendError?.(error);
    }
  }

  /**
   * Balance of one account as a two-decimal string, or undefined if no event touched it. Throws `InvalidArgumentError`
   * for a projection the runtime did not load.
   */
  async balance(account: string, projection = 'balances'): Promise<string | undefined> {
    this.assertKnown(projection);
    await this.deps.catchUp?.();
    const generation = await this.deps.store.liveGeneration(projection);
    const cents = await this.deps.store.counter(projection, generation, account);
    return cents === undefined ? undefined : formatAmount(cents);
  }

  /** Every account's balance, sorted by account. Throws `InvalidArgumentError` for a projection the runtime did not load. */
  async balances(projection = 'balances'): Promise<Map<string, string>> {
    this.assertKnown(projection);
    await this.deps.catchUp?.();
    const generation = await this.deps.store.liveGeneration(projection);
    const counters = await this.deps.store.counters(projection, generation);
    return new Map([...counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, formatAmount(v)]));
  }

  private assertKnown(projection: string): void {
    if (this.deps.projections) assertKnownProjection(this.deps.projections, projection);
  }
}

/**
 * Validate every event of one input, filling a missing RequestId with a new UUIDv7 (`newRequestId`) and writing a given
 * one in lower case (its canonical form, so the same event sent in either case has one identity); nothing is touched but the
 * registry, so a CLI can refuse bad input before it opens (or creates) a data directory.
 * Throws `BatchRejectedError` listing every bad event when any is invalid.
 */
export function prepareEvents(registry: SchemaRegistry, inputs: readonly unknown[], newRequestId: () => string = defaultRequestId): DomainEvent[] {
  // Once, up front: from validate() a schema set that cannot evolve would come back as one batch failure per event.
  registry.assertEvolvable();
  const failures: { index: number; error: EventlakeError }[] = [];
  const events: DomainEvent[] = [];
  inputs.forEach((original, index) => {
    // A copy read once, field by field: the caller's object may change while the append awaits (or be a Proxy or
    // getter answering otherwise later), and the log must hold what was validated.
    const input = plainSnapshot(original);
    try {
      const event = registry.validate(withRequestId(input, newRequestId));
      const given = (input as { RequestId?: unknown }).RequestId;
      if (typeof given === 'string') Object.defineProperty(event, GIVEN_REQUEST_ID, { value: given });
      events.push(event);
    } catch (error) {
      if (!(error instanceof EventlakeError)) throw error;
      failures.push({ index, error });
    }
  });
  if (failures.length > 0) throw new BatchRejectedError(failures, inputs.length);
  return events;
}

/** A prepared event's RequestId as given, if it came with one (an older copy may be stored under that case). Why a
 * hidden symbol on prepare's own copy, not a WeakMap: an entry per event cost ≈ 1 µs of emit's CPU, mostly in GC. */
const GIVEN_REQUEST_ID = Symbol('given RequestId');

/**
 * RequestIds other than the canonical one an older copy of `event` may be stored under: as given, and in upper
 * case (a client that lower-cases ids now may have sent upper case before). Other mixed cases cannot be guessed.
 */
function olderCases(event: DomainEvent): string[] {
  const given = (event as { readonly [GIVEN_REQUEST_ID]?: string })[GIVEN_REQUEST_ID];
  return given === undefined ? [] : [...new Set([given, given.toUpperCase()])].filter((id) => id !== event.RequestId);
}

/** Every identity the duplicate checks of `event` ask the index about. */
function identitiesToLookUp(event: DomainEvent): string[] {
  return [eventId(event), ...olderCases(event).map((RequestId) => eventId({ ...event, RequestId }))];
}

/**
 * Why: events stored before RequestIds were lower-cased keep the case they were sent in, and a client re-sending
 * one sends that case again, or the lower case. Under the lower-case id it would be a new identity, stored and
 * counted a second time; so an event whose older case is already indexed keeps that id, and the usual duplicate
 * checks answer for it.
 */
async function storedCase(index: Pick<EventIndex, 'get'>, events: readonly DomainEvent[]): Promise<readonly DomainEvent[]> {
  return Promise.all(events.map(async (event) => {
    for (const RequestId of olderCases(event)) {
      const older = { ...event, RequestId };
      if (await index.get(eventId(older))) return older;
    }
    return event;
  }));
}
