// Upcasters: pure functions that lift an event one SchemaVersion up, applied on read so the log keeps what was written.

import { InvalidArgumentError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';

/**
 * Lifts an event of `fromVersion` to `fromVersion + 1`. It receives a private copy, so it may build on it freely,
 * and returns the whole new event. It must keep the identity (EventType, RequestId) and EventTimeStamp, which decide
 * the object key, the idempotency key and the replay order; the chain sets SchemaVersion itself.
 */
export type Upcaster = (event: DomainEvent) => DomainEvent;

/** Lifts a cash_withdrawal v1 to v2: v1 has no Channel, and LocationType tells it (a teller works at a branch). */
export const cashWithdrawalV1ToV2: Upcaster = (event) => {
  const channel = event['LocationType'] === 'ATM' ? 'ATM' : event['LocationType'] === 'Teller' ? 'BRANCH' : 'UNKNOWN';
  return { ...event, Channel: channel };
};

/** The upcasters registered by default, as `[type, fromVersion, upcaster]`. */
export const BUILTIN_UPCASTERS: readonly (readonly [string, number, Upcaster])[] = [['cash_withdrawal', 1, cashWithdrawalV1ToV2]];

/** The upcasters of every type, by the version they lift from. */
export class UpcasterChain {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  /** Register `fn` for `type` from `fromVersion`; one per step. */
  add(type: string, fromVersion: number, fn: Upcaster): void {
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1) throw new InvalidArgumentError('fromVersion', `must be a whole number >= 1, got ${fromVersion}`);
    const steps = this.byType.get(type) ?? new Map<number, Upcaster>();
    if (steps.has(fromVersion)) throw new InvalidArgumentError(`${type} v${fromVersion}`, 'already has an upcaster');
    steps.set(fromVersion, fn);
    this.byType.set(type, steps);
  }

  has(type: string, fromVersion: number): boolean {
    return this.byType.get(type)?.has(fromVersion) ?? false;
  }

  /** The versions of `type` that have an upcaster to the next one, ascending. */
  steps(type: string): number[] {
    return [...(this.byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * Apply the upcasters of `event`'s type step by step, up to `latest` or to the first missing step (a version bump
   * without an upcaster is a compatible one: `schemas check` refuses breaking bumps that have none). The input is
   * never mutated; an event already at `latest`, or of a type without upcasters, comes back as is.
   */
  upcast(event: DomainEvent, latest: number): DomainEvent {
    let current = event;
    for (let v = event.SchemaVersion; v < latest; v++) {
      const fn = this.byType.get(event.EventType)?.get(v);
      if (!fn) break;
      const next = fn(structuredClone(current));
      for (const field of ['EventType', 'RequestId', 'EventTimeStamp'] as const) {
        if (next[field] !== event[field]) throw new InvalidArgumentError(`upcaster ${event.EventType} v${v}`, `changed ${field}; upcasters must keep the event's identity and time`);
      }
      current = { ...next, SchemaVersion: v + 1 };
    }
    return current;
  }
}
