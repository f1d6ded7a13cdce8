// Port: the dispatcher that carries logged events to projections (EventBridge in AWS, an in-process bus locally).

import type { DomainEvent } from '../event.ts';

/** An EventBridge event pattern (exact values, prefix, suffix, anything-but, numeric, exists, $or …). */
export type EventPattern = { readonly [field: string]: unknown };

/** A rule: which events (by pattern) go to which target (a projection name, or a handler's name). */
export interface DispatchRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: string;
}

/** Outcome of publishing one event. */
export interface PublishOutcome {
  readonly id: string;
  readonly status: 'published' | 'failed';
  /** Why it failed (an error code and message), when it did. */
  readonly error?: string;
}

/**
 * Publishes logged events to the bus. Publishing is at-least-once: a failed outcome is retried by the caller
 * (or the tail that drives it); targets are idempotent.
 *
 * @example
 * const outcomes = await dispatcher.publish(events);
 * const failed = outcomes.filter((o) => o.status === 'failed');
 */
export interface Dispatcher {
  publish(events: readonly DomainEvent[]): Promise<PublishOutcome[]>;
}
