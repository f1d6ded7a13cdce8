// A Map of idempotency records that keeps memo-less records as their identity alone (domain: no I/O).

import type { AppliedRecord } from './projection.ts';

/**
 * Idempotency records kept small: a record without a memo (most events) is kept as its identity alone and handed
 * out as `{ id, memo: null }` when asked for. Why: a staged replay holds one record per event of its batch, beside the
 * replay's own working set, and the collector sizes the heap from what stays alive; this roughly halves what it keeps.
 * A Map in every observable way. (A rebuild's reference fold, which holds one per event of the whole replay, packs
 * them further: projections/rebuild/packed-applied-records.ts.)
 */
export class CompactAppliedRecords extends Map<string, AppliedRecord> {
  private readonly plain = new Set<string>();

  override set(id: string, record: AppliedRecord): this {
    // The constructor of Map calls set() before the fields exist (never with entries here, but stay safe).
    if (!this.plain) return super.set(id, record);
    if (record.memo === null && record.id === id) {
      super.delete(id);
      this.plain.add(id);
    } else {
      this.plain.delete(id);
      super.set(id, record);
    }
    return this;
  }

  override get(id: string): AppliedRecord | undefined {
    return this.plain.has(id) ? { id, memo: null } : super.get(id);
  }

  override has(id: string): boolean {
    return this.plain.has(id) || super.has(id);
  }

  override delete(id: string): boolean {
    return this.plain.delete(id) || super.delete(id);
  }

  override clear(): void {
    this.plain.clear();
    super.clear();
  }

  override get size(): number {
    return this.plain.size + super.size;
  }

  override entries(): MapIterator<[string, AppliedRecord]> {
    return (function* (plain: Set<string>, rest: MapIterator<[string, AppliedRecord]>) {
      for (const id of plain) yield [id, { id, memo: null }] as [string, AppliedRecord];
      yield* rest;
    })(this.plain, super.entries()) as unknown as MapIterator<[string, AppliedRecord]>;
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
