// A Map of idempotency records that keeps memo-less records as their identity alone (domain: no I/O).

import type { AppliedRecord } from './projection.ts';

/**
 * Idempotency records kept small: a record without a memo (most events) is kept as its identity alone and handed
 * out as `{ id, memo: null }` when asked for; with `current` set to the identity being recorded, as another string
 * (a rebuild's reference fold passes the index entry's, rather than the one applyToState builds from the event, which
 * holds on to the event's RequestId). Why: a rebuild's reference fold and a staged replay hold one record per event,
 * beside the replay's own working set, and the collector sizes the heap from what stays alive; at a million events
 * this roughly halves what they keep. A Map in every observable way.
 */
export class CompactAppliedRecords extends Map<string, AppliedRecord> {
  private readonly plain = new Set<string>();
  /** The identity of the event being folded, as its index entry spells it (`observe` sets it). */
  current: string | undefined;

  override set(id: string, record: AppliedRecord): this {
    // The constructor of Map calls set() before the fields exist (never with entries here, but stay safe).
    if (!this.plain) return super.set(id, record);
    const key = this.current === id ? this.current : id;
    if (record.memo === null && record.id === id) {
      super.delete(key);
      this.plain.add(key);
    } else {
      this.plain.delete(key);
      super.set(key, record.id === id ? { id: key, memo: record.memo } : record);
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
