// The error of an event whose fold would take a projection's counter beyond what its store holds exactly.

import { EventlakeError } from './eventlake-error.ts';

/** What a counter out of range is, as the store that refused it found it. */
export interface CounterRange {
  readonly projection: string;
  readonly key: string;
  /** The event whose own change leaves the range (the first one, in order, of the batch applied). */
  readonly eventId: string;
  /** The counter's value before that event's change (what is stored plus the batch's earlier events). */
  readonly stored: bigint;
  /** That event's change of the counter. */
  readonly delta: bigint;
  readonly min: bigint;
  readonly max: bigint;
  /** What holds the counter, read after "the range of" (e.g. `a SQLite INTEGER`). */
  readonly holder: string;
  /** What the holder does with such a value, after its range (default: `which would round it`, as SQLite would). */
  readonly refusal?: string;
  /**
   * Where the event goes and the way out, after "no retry or redrive applies it: " (default: local dispatch's dead
   * letter, and keeping the projection on DynamoDB or folding in larger units).
   */
  readonly fix?: string;
}

const LOCAL_FIX = 'dispatch dead-letters it (eventlake dlq list shows it) and applies every other event. ' +
  'Keep such a projection on DynamoDB (38 digits), or fold it in larger units (a new projection version)';

/** Where a caller that stopped on it stands (a rebuild): the event's position and what it kept. */
export interface CounterRangeContext {
  readonly position?: number;
  readonly stopped?: string;
}

/**
 * An event's change would take a counter beyond the range its projection store holds exactly (a SQLite INTEGER:
 * ±2^63 - 1, which would round it; a DynamoDB number: ±(10^38 - 1), beyond which DynamoDB refuses it). The event's
 * value is at fault, not the store: dispatch dead-letters the event (nothing of it applied; every other event goes on),
 * a redrive fails it again, and a rebuild stops at it, since a generation without it would not equal the fold of the
 * log it is verified against. Not a `StorageError`: that one pauses dispatch for every account until the store is
 * fixed, and no fix of the store comes for a value.
 */
export class CounterRangeError extends EventlakeError {
  readonly code = 'COUNTER_OUT_OF_RANGE';
  constructor(readonly range: CounterRange, readonly context: CounterRangeContext = {}) {
    const { projection, key, eventId, stored, delta, min, max, holder, refusal = 'which would round it', fix = LOCAL_FIX } = range;
    const at = context.position === undefined ? '' : ` (position ${context.position})`;
    super(`projection ${projection}: event ${eventId}${at} changes counter ${key} by ${delta}, and ${stored} + ${delta} = ${stored + delta} ` +
      `is beyond ${min}..${max}, the range of ${holder}, ${refusal}; ${context.stopped ?? 'nothing of the event was applied'}. ` +
      `The event's value is at fault, so no retry or redrive applies it: ${fix}`);
  }

  /** The same failure with what the caller that stopped on it knows (`context`) in place of what it had. */
  within(context: CounterRangeContext): CounterRangeError {
    return new CounterRangeError(this.range, { ...this.context, ...context });
  }
}
