// Which event of a batch takes a counter out of SQLite's 64-bit range: the batch writes summed deltas, so a sum that
// overflows names no event; this finds the first one, in order, only once the summed write has failed.

import { CounterRangeError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import { decideBatch, type PreparedBatch } from './sqlite-projection-store-decide.ts';
import type { Statements } from './sqlite-projection-statements.ts';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** A batch as its apply decided it: what `decideBatch` was given. */
export interface DecidedFrom {
  readonly projection: Projection;
  readonly generation: number;
  readonly events: readonly DomainEvent[];
  readonly batch: PreparedBatch;
  readonly known: ReadonlySet<string>;
  readonly stored: ReadonlyMap<string, string>;
}

/**
 * The error of the first event whose own change takes a counter out of range, its batch decided again with each
 * counter followed from its stored value. Why decided again rather than tracked: the normal apply then keeps no
 * per-event record and reads no counter. Call it inside the apply's transaction, after the failed write was undone,
 * so the stored values are those before the batch.
 */
export function counterOutOfRange(s: Statements, from: DecidedFrom): Error {
  const { projection, generation, batch } = from;
  const values = new Map<string, bigint>();
  const valueOf = (key: string) => values.get(key) ?? (s.counter.get(projection.name, generation, key) as bigint | undefined) ?? 0n;
  let found: CounterRangeError | undefined;
  decideBatch(projection, from.events, batch, from.known, from.stored, (i, counters) => {
    if (found) return;
    // One event's changes of a key count as one, as SQLite only ever sees them summed.
    const own = new Map<string, bigint>();
    for (const { key, delta } of counters) own.set(key, (own.get(key) ?? 0n) + delta);
    for (const [key, delta] of own) {
      const before = valueOf(key);
      const after = before + delta;
      if (after < INT64_MIN || after > INT64_MAX) {
        found ??= new CounterRangeError({
          projection: projection.name, key, eventId: batch.ids[i]!, stored: before, delta, min: INT64_MIN, max: INT64_MAX, holder: 'a SQLite INTEGER',
        });
      }
      values.set(key, after);
    }
  });
  // Summed in range yet refused: not a value of this batch (a broken invariant), so no event is blamed.
  return found ?? new Error(`projection store: a counter of projection ${projection.name} generation ${generation} left the 64-bit range, yet no event of the batch takes one out of it`);
}
