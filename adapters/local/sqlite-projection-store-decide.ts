// How the SQLite projection store decides a batch in memory before writing it: the same outcomes, records and changes
// `applyToState` gives event by event, from what is stored and what the batch itself staged.

import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { ApplyOutcome } from '../../domain/ports/projection-store.ts';
import type { AppliedRecord, CounterChange, Projection, RowPut } from '../../domain/projection.ts';

const NO_RELATED: ReadonlyMap<string, AppliedRecord> = new Map();

/**
 * The applied records of `ids` that exist: staged in this batch, else staged by earlier batches not written yet
 * (`prior`), else stored (memo JSON read before the batch).
 */
export function recordsOf(ids: readonly string[], staged: ReadonlyMap<string, AppliedRecord>, stored: ReadonlyMap<string, string>, prior: ReadonlyMap<string, AppliedRecord> = NO_RELATED): ReadonlyMap<string, AppliedRecord> {
  // Created only when a record exists: in a replay most related events are not applied yet.
  let out: Map<string, AppliedRecord> | undefined;
  for (const id of ids) {
    const record = staged.get(id) ?? prior.get(id);
    if (record) (out ??= new Map()).set(id, record);
    else {
      const memo = stored.get(id);
      if (memo !== undefined) (out ??= new Map()).set(id, { id, memo: JSON.parse(memo) as JsonObject | null });
    }
  }
  return out ?? NO_RELATED;
}

/**
 * The related identities of a batch whose memos must be read from the store: not those handled in the batch itself
 * (decided before they are stored, unless `known` says they are stored already), nor those staged by earlier batches
 * (`prior`, not stored yet).
 */
export function relatedToRead(batch: PreparedBatch, known: ReadonlySet<string>, prior: ReadonlyMap<string, AppliedRecord> = NO_RELATED): string[] {
  const out: string[] = [];
  if (batch.wanted.size === 0) return out;
  const inBatch = new Set<string>();
  for (let i = 0; i < batch.ids.length; i++) {
    const id = batch.ids[i]!;
    if (batch.relatedOf[i] !== undefined && batch.wanted.has(id) && !known.has(id)) inBatch.add(id);
  }
  for (const r of batch.wanted) if (!inBatch.has(r) && !prior.has(r)) out.push(r);
  return out;
}

/** A batch's identities, computed once for both passes of `apply`. */
export interface PreparedBatch {
  readonly ids: readonly string[];
  /** Related identities per event; undefined for an event the projection does not handle. */
  readonly relatedOf: readonly (readonly string[] | undefined)[];
  /** Every related identity of the batch. */
  readonly wanted: ReadonlySet<string>;
  /** `ids` in key order (duplicates adjacent). */
  readonly sortedIds: readonly string[];
}

/** A decided batch: the records to store, summed counter deltas, the last put of each row, an outcome per event. */
export interface DecidedBatch {
  readonly staged: ReadonlyMap<string, AppliedRecord>;
  readonly deltas: ReadonlyMap<string, bigint>;
  readonly rows: ReadonlyMap<string, RowPut>;
  readonly out: ApplyOutcome[];
}

/** Sees each applied event's counter changes as it is decided (sqlite-counter-range.ts finds an overflow's event). */
export type CounterWatch = (index: number, counters: readonly CounterChange[]) => void;

/**
 * Decide a batch in order, exactly as `applyToState` would event by event, given the stored keys among its ids
 * (`known`) and the stored memos (JSON) of its related identities. `watch`, if given, sees each event's counter changes.
 * `prior`: records decided by earlier batches and not written yet (a staged replay, sqlite-staged-replay.ts), which
 * count as stored; the returned `staged` holds this batch's own records only.
 */
export function decideBatch(
  projection: Projection, events: readonly DomainEvent[], batch: PreparedBatch, known: ReadonlySet<string>, stored: ReadonlyMap<string, string>,
  watch?: CounterWatch, prior: ReadonlyMap<string, AppliedRecord> = NO_RELATED,
): DecidedBatch {
  const n = events.length;
  const staged = new Map<string, AppliedRecord>();
  const deltas = new Map<string, bigint>();
  const rows = new Map<string, RowPut>();
  const out: ApplyOutcome[] = new Array<ApplyOutcome>(n);
  for (let i = 0; i < n; i++) {
    const id = batch.ids[i]!;
    const related = batch.relatedOf[i];
    if (related === undefined) out[i] = { id, status: 'skipped' };
    else if (known.has(id) || staged.has(id) || prior.has(id)) out[i] = { id, status: 'duplicate' };
    else {
      const changes = projection.decide(events[i]!, related.length === 0 ? NO_RELATED : recordsOf(related, staged, stored, prior));
      staged.set(id, { id, memo: changes.memo ?? null });
      const counters = changes.counters;
      if (counters) {
        watch?.(i, counters);
        for (let c = 0; c < counters.length; c++) {
          const { key, delta } = counters[c]!;
          const sum = deltas.get(key);
          deltas.set(key, sum === undefined ? delta : sum + delta);
        }
      }
      if (changes.rows) for (const r of changes.rows) rows.set(r.key, r);
      out[i] = { id, status: 'applied' };
    }
  }
  return { staged, deltas, rows, out };
}
