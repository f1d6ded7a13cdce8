// The two passes of the SQLite projection store's `apply`: an optimistic one for batches none of whose events is
// stored yet, and a careful one that probes the stored keys first. Each runs as its own transaction.

import type { Database as Db, Transaction } from 'better-sqlite3';
import type { DomainEvent } from '../../domain/event.ts';
import type { ApplyOutcome } from '../../domain/ports/projection-store.ts';
import type { Projection } from '../../domain/projection.ts';
import { counterOutOfRange } from './sqlite-counter-range.ts';
import { decideBatch, relatedToRead, writeApplied, writeBatch, writeChanges, type PreparedBatch, type Statements } from './sqlite-projection-statements.ts';

type ApplyBatch = (p: Projection, g: number, events: readonly DomainEvent[], batch: PreparedBatch, replay: boolean) => ApplyOutcome[];

const NO_MEMOS: ReadonlyMap<string, string> = new Map();
const NONE_KNOWN: ReadonlySet<string> = new Set();

/** Thrown (and caught) inside `apply` when the optimistic pass finds a stored key; never leaves the store. */
export const NOT_FRESH = Symbol('not fresh');

/** Both passes as transactions of `db`: `fresh` throws NOT_FRESH (rolled back) when a key of the batch was stored. */
export function applyPasses(db: Db, s: Statements): { readonly fresh: Transaction<ApplyBatch>; readonly careful: Transaction<ApplyBatch> } {
  return {
    fresh: db.transaction((p, g, events, batch, replay) => fresh(s, p, g, events, batch, replay)),
    careful: db.transaction((p, g, events, batch, replay) => applyAll(s, p, g, events, batch, replay)),
  };
}

// Why the batch is staged in memory: idempotency keys are random (UUIDs), and inserting them in key order at the end
// touches each B-tree page once instead of once per key. The applied records the batch's decisions may read are
// fetched in one query up front (nothing writes the table until the end); a decision reads the batch's own staged
// records first. Counter deltas and row puts are summed and written once, as nothing reads them during a batch.
// The result equals applying the events one by one (`applyToState`).
//
// Why optimistic first: in a replay into a new generation (and for fresh live deliveries) no event of the batch is
// stored yet, so the batch is decided as if none were, and the insert of its idempotency keys proves it: every key
// inserted, or that transaction rolls back and a second one decides the batch against a probe of the stored keys. This
// saves the probe (one B-tree search per event) and the stored-memo lookups of related events in the batch itself.
function applyAll(s: Statements, projection: Projection, generation: number, events: readonly DomainEvent[], batch: PreparedBatch, replay: boolean): ApplyOutcome[] {
  const { name } = projection;
  s.addGeneration.run(name, generation); // so createGeneration never hands out a number that holds data
  const known = new Set(s.existing.all(JSON.stringify(batch.sortedIds), name, generation) as string[]);
  const stored = batch.wanted.size === 0 ? NO_MEMOS : memos(s, name, generation, [...batch.wanted]);
  const decided = decideBatch(projection, events, batch, known, stored);
  const outOfRange = () => counterOutOfRange(s, { projection, generation, events, batch, known, stored });
  writeBatch(s, name, generation, { ...decided, sortedIds: batch.sortedIds, replay }, outOfRange);
  return decided.out;
}

/** The optimistic pass (see applyAll): throws NOT_FRESH, which rolls its transaction back, if a key was stored. */
function fresh(s: Statements, projection: Projection, generation: number, events: readonly DomainEvent[], batch: PreparedBatch, replay: boolean): ApplyOutcome[] {
  const { name } = projection;
  // A re-delivered batch (a resumed replay's overlap, a retried live delivery) usually shows at its ends: three
  // probes send it to the careful pass before it is decided in vain. The key insert stays the proof either way.
  const ids = batch.sortedIds;
  const sample = [ids[0]!, ids[ids.length >> 1]!, ids[ids.length - 1]!];
  if ((s.existing.all(JSON.stringify(sample), name, generation) as string[]).length > 0) throw NOT_FRESH;
  s.addGeneration.run(name, generation);
  // A related event handled in this batch is not stored (its key is inserted below, and a stored one would fail the
  // count check): only the others are looked up.
  const outside = relatedToRead(batch, NONE_KNOWN);
  const stored = outside.length === 0 ? NO_MEMOS : memos(s, name, generation, outside);
  const decided = decideBatch(projection, events, batch, NONE_KNOWN, stored);
  const inserted = writeApplied(s, name, generation, decided.staged, batch.sortedIds, replay);
  if (inserted !== decided.staged.size) throw NOT_FRESH;
  writeChanges(s, name, generation, decided, () => counterOutOfRange(s, { projection, generation, events, batch, known: NONE_KNOWN, stored }));
  return decided.out;
}

/** The stored memos (JSON) of `ids` that are applied in the generation. */
export function memos(s: Statements, name: string, generation: number, ids: string[]): ReadonlyMap<string, string> {
  return new Map(s.memos.all(JSON.stringify(ids.sort()), name, generation) as [string, string][]);
}
