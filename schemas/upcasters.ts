// Upcasters: pure functions that lift an event one SchemaVersion up, applied on read so the log keeps what was written.

import { InvalidArgumentError, UpcastError } from '../domain/errors.ts';
import type { FieldIssue } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import { eventId } from '../domain/event.ts';

/**
 * Lifts an event of `fromVersion` to `fromVersion + 1`. It receives a private copy, so it may build on it freely,
 * and returns the whole new event. It must keep the identity (EventType, RequestId) and EventTimeStamp, which decide
 * the object key, the idempotency key and the replay order; the chain sets SchemaVersion itself.
 */
export type Upcaster = (event: DomainEvent) => DomainEvent;

/** One upcaster with its step: what `registry.addUpcaster(type, fromVersion, upcast)` registers. */
export interface UpcasterStep {
  /** The event type, e.g. `outgoing_payment`; both versions' schemas must be loaded. */
  readonly type: string;
  /** The version it lifts from, to `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly upcast: Upcaster;
}

/** Lifts a cash_withdrawal v1 to v2: v1 has no Channel, and LocationType tells it (a teller works at a branch). */
export const cashWithdrawalV1ToV2: Upcaster = (event) => {
  const channel = event['LocationType'] === 'ATM' ? 'ATM' : event['LocationType'] === 'Teller' ? 'BRANCH' : 'UNKNOWN';
  // The chain hands over a private copy: adding the field to it saves copying the event once more per replayed v1.
  (event as Record<string, unknown>)['Channel'] = channel;
  return event;
};

/** The upcasters registered by default, as `[type, fromVersion, upcaster]`. */
export const BUILTIN_UPCASTERS: readonly (readonly [string, number, Upcaster])[] = [['cash_withdrawal', 1, cashWithdrawalV1ToV2]];

/**
 * A private copy of a stored value for an upcaster to build on: what `structuredClone` gives for JSON data, at a
 * fraction of its cost (≈ 7.7 µs per cash_withdrawal with its Currency map). Events are flat with a few small maps,
 * so plain objects and arrays are copied by hand; anything else (Date, Map, …) still goes through structuredClone.
 */
function privateCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? structuredClone(value) : value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = privateCopy(value[i] as unknown);
    return out as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  // Spread copies own enumerable keys as data properties (an own `__proto__` key too), like structuredClone.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const v = out[key];
    if (typeof v === 'object' ? v === null : typeof v !== 'function' && typeof v !== 'symbol') continue;
    // An own `__proto__` key (JSON.parse makes one) must stay a key: plain assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: privateCopy(v), enumerable: true, writable: true, configurable: true });
    else out[key] = privateCopy(v);
  }
  return out as T;
}

const IDENTITY = ['EventType', 'RequestId', 'EventTimeStamp'] as const;

/**
 * An upcast as projections and replay are handed it (`registry.upcast`): the event lifted to its type's latest
 * version, its input untouched. `owned`, where present, is the same upcast for an event the caller hands over (parsed
 * for this call, held by nothing else), which the first upcaster then builds on instead of on a private copy.
 */
export interface Upcast {
  (event: DomainEvent): DomainEvent;
  readonly owned?: Upcaster;
}

/** How `UpcasterChain.upcast` may treat the event it is given. */
export interface UpcastOptions {
  /**
   * The caller hands the event over: it was made for this call (parsed from a stored line) and nothing else holds
   * it, so the first upcaster builds on it in place instead of on a private copy (the copy cost a replay ≈ 0.5 µs
   * per lifted cash_withdrawal v1, for an object thrown away at once).
   */
  readonly owned?: boolean;
}

/** `UpcastOptions` of an event handed over. */
export const HANDED_OVER: UpcastOptions = Object.freeze({ owned: true });

/**
 * Upcasters whose results are not checked against their target schema: the built-ins, which a test runs over every
 * generated event, while replay would pay the check (≈ 2 µs) for each of the millions of v1 withdrawals it reads.
 */
const TRUSTED = new Set<Upcaster>(BUILTIN_UPCASTERS.map(([, , fn]) => fn));

/** The upcasters of every type, by the version they lift from. */
export class UpcasterChain {
  private readonly byType = new Map<string, Map<number, Upcaster>>();
  /** The highest version each type has a checked upcaster from: validate() asks per event, so it is kept, not searched. */
  private readonly highestChecked = new Map<string, number>();

  /** Register `fn` for `type` from `fromVersion`; one per step. */
  add(type: string, fromVersion: number, fn: Upcaster): void {
    // A JS caller's non-function would fail every emit of an old-version event, as that event's upcaster error.
    if (typeof fn !== 'function') throw new InvalidArgumentError(`${type} v${fromVersion}`, `its upcaster is a${typeof fn === 'object' ? 'n' : ''} ${typeof fn}, not a function: give upcast as (event) => the event at the next version`);
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1) throw new InvalidArgumentError('fromVersion', `must be a whole number >= 1, got ${fromVersion}`);
    const steps = this.byType.get(type) ?? new Map<number, Upcaster>();
    if (steps.has(fromVersion)) throw new InvalidArgumentError(`${type} v${fromVersion}`, 'already has an upcaster: give one upcaster per version step (remove one of them, or fold both into one function)');
    steps.set(fromVersion, fn);
    this.byType.set(type, steps);
    if (!TRUSTED.has(fn) && fromVersion > (this.highestChecked.get(type) ?? 0)) this.highestChecked.set(type, fromVersion);
  }

  has(type: string, fromVersion: number): boolean {
    return this.byType.get(type)?.has(fromVersion) ?? false;
  }

  /**
   * Whether an event of `type` at `version` meets an upcaster whose results are checked (any but a built-in one) on
   * its way up: one from `version` or, past compatible steps, from any later version.
   */
  checkedFrom(type: string, version: number): boolean {
    return (this.highestChecked.get(type) ?? 0) >= version;
  }

  /** Whether `steps` holds an upcaster from a version in (v, latest). */
  private laterStep(steps: ReadonlyMap<number, Upcaster> | undefined, v: number, latest: number): boolean {
    for (const from of steps?.keys() ?? []) if (from > v && from < latest) return true;
    return false;
  }

  /** Every registered step, by type then version: what a rebuild fingerprints among the rules a generation was built with. */
  all(): UpcasterStep[] {
    return [...this.byType.keys()].sort().flatMap((type) => this.steps(type).map((fromVersion) => ({ type, fromVersion, upcast: this.byType.get(type)!.get(fromVersion)! })));
  }

  /** The versions of `type` that have an upcaster to the next one, ascending. */
  steps(type: string): number[] {
    return [...(this.byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * Apply the upcasters of `event`'s type step by step, up to `latest` or to the last missing step (a version bump
   * without an upcaster is a compatible one: the registry refuses a breaking bump that has none, assertEvolvable; one
   * below a later upcaster is passed over, SchemaVersion raised). The input is never mutated unless `options.owned`
   * hands it over; an event already at `latest`, or of a type without upcasters, comes back as is. `check` lists what
   * the target version's schema finds wrong with each step's result (built-in steps excepted, see TRUSTED); a step
   * that throws, returns no event or one with issues is an `UpcastError` naming it, so a broken upcaster never hands
   * a projection an event of the wrong shape.
   */
  upcast(event: DomainEvent, latest: number, check?: (event: DomainEvent) => readonly FieldIssue[], options: UpcastOptions = {}): DomainEvent {
    let current = event;
    // What the steps must keep, read before an upcaster may change a handed-over event in place.
    const original = options.owned ? { EventType: event.EventType, RequestId: event.RequestId, EventTimeStamp: event.EventTimeStamp } : event;
    const steps = this.byType.get(event.EventType);
    for (let v = event.SchemaVersion; v < latest; v++) {
      const fn = steps?.get(v);
      if (!fn) {
        // A compatible bump: the event already fits v + 1. Passed over when an upcaster further up still has to lift
        // it (v1 → v2 compatible, v2 → v3 breaking: a v1 event must reach v3's shape too), else the chain ends here.
        if (!this.laterStep(steps, v, latest)) break;
        current = { ...current, SchemaVersion: v + 1 };
        continue;
      }
      const copy = options.owned && current === event ? current : privateCopy(current);
      const fail = (issues: readonly FieldIssue[], problem: string, cause?: unknown) =>
        new UpcastError(eventId(original), original.EventType, v, issues, problem, cause === undefined ? undefined : { cause });
      let next: DomainEvent;
      try {
        next = fn(copy);
      } catch (cause) {
        throw fail([], `threw (${(cause as Error)?.message ?? String(cause)})`, cause);
      }
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw fail([], `returned ${Array.isArray(next) ? 'an array' : String(next)} instead of the whole event`);
      for (const field of IDENTITY) {
        if (next[field] !== original[field]) throw new InvalidArgumentError(`upcaster ${original.EventType} v${v}`, `changed ${field}; upcasters must keep the event's identity and time`);
      }
      // The copy is ours, so an upcaster that built on it gets its version set in place; any other result is copied.
      if (next === copy && !Object.isFrozen(copy)) {
        (copy as Record<string, unknown>)['SchemaVersion'] = v + 1;
        current = copy;
      } else current = { ...next, SchemaVersion: v + 1 };
      const issues = check === undefined || TRUSTED.has(fn) ? [] : check(current);
      if (issues.length > 0) throw fail(issues, `returned an event that v${v + 1} rejects`);
    }
    return current;
  }
}
