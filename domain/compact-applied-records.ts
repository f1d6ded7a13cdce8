// A Map of idempotency records that keeps each as its memo alone, by identity (domain: no I/O).

import type { JsonObject } from './event.ts';
import type { AppliedRecord } from './projection.ts';

/**
 * Idempotency records kept small: a record is kept as its memo alone, by its identity, and handed out as
 * `{ id, memo }` when asked for. Why: a staged replay holds one record per event of its batch, beside the replay's own
 * working set, and the collector sizes the heap from what stays alive; most records have no memo, and none then costs
 * more than its identity. One map for all of them: a lookup of an identity not held (most of a replay's) asks one hash
 * table, not one for memo-less records and one for the others. A Map in every observable way, except that `get`
 * hands out a new record each time. (A rebuild's reference fold, which holds one per event of the whole replay, packs
 * them further: projections/rebuild/packed-applied-records.ts.)
 */
export class CompactAppliedRecords extends Map<string, AppliedRecord> {
  /** Memos (null for none) of the records whose `id` is their key: every record a store or fold sets. */
  private readonly memos = new Map<string, JsonObject | null>();
  // Records whose `id` is not their key (no caller sets one; kept so that this stays a Map) live in `super`.

  override set(id: string, record: AppliedRecord): this {
    // The constructor of Map calls set() before the fields exist (never with entries here, but stay safe).
    if (!this.memos) return super.set(id, record);
    if (record.id === id) {
      if (super.size > 0) super.delete(id);
      this.memos.set(id, record.memo);
    } else {
      this.memos.delete(id);
      super.set(id, record);
    }
    return this;
  }

  override get(id: string): AppliedRecord | undefined {
    const memo = this.memos.get(id);
    if (memo !== undefined) return { id, memo };
    return super.size > 0 ? super.get(id) : undefined;
  }

  override has(id: string): boolean {
    return this.memos.has(id) || (super.size > 0 && super.has(id));
  }

  override delete(id: string): boolean {
    return this.memos.delete(id) || super.delete(id);
  }

  override clear(): void {
    this.memos.clear();
    super.clear();
  }

  override get size(): number {
    return this.memos.size + super.size;
  }

  override entries(): MapIterator<[string, AppliedRecord]> {
    return (function* (memos: Map<string, JsonObject | null>, rest: MapIterator<[string, AppliedRecord]>) {
      for (const [id, memo] of memos) yield [id, { id, memo }] as [string, AppliedRecord];
      yield* rest;
    })(this.memos, super.entries()) as unknown as MapIterator<[string, AppliedRecord]>;
  }

  override keys(): MapIterator<string> {
    return (function* (entries: Iterable<[string, AppliedRecord]>) { for (const [id] of entries) yield id; })(this.entries()) as unknown as MapIterator<string>;
  }

  override values(): MapIterator<AppliedRecord> {
    return (function* (entries: Iterable<[string, AppliedRecord]>) { for (const [, r] of entries) yield r; })(this.entries()) as unknown as MapIterator<AppliedRecord>;
  }

  override [Symbol.iterator](): MapIterator<[string, AppliedRecord]> {
    return this.entries();
  }

  override forEach(fn: (value: AppliedRecord, key: string, map: Map<string, AppliedRecord>) => void, thisArg?: unknown): void {
    for (const [id, record] of this.entries()) fn.call(thisArg, record, id, this);
  }
}
