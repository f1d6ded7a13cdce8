// The index entries of one hour partition, as compaction needs them: identity, order, size and location only, kept
// in columns because a busy hour holds millions of them for the whole run.
//
// Why not the IndexEntry objects themselves: each carries its type, accounts, storage state and a location object,
// several hundred bytes an entry; here an entry costs its identity string (~80 bytes) plus ~40 bytes of typed-array
// columns and slots, and identities are looked up by binary search in an id-sorted permutation rather than a Map
// (~45 bytes an entry more). See compactHour's TSDoc for the measured total.

import { EVENT_OBJECT_SUFFIX, compareEvents } from '../../domain/event.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { doubles, int32s } from './columns.ts';
import { hourOfPrefix } from './hour-prefix.ts';

/** keyRef of an entry whose location is its own one-event object, `<hourPrefix><id>.event` (the key is not stored). */
const OWN_OBJECT = -1;

/** The hour's entries, numbered 0…count-1 in (timestamp, identity) order. */
export class HourEntries {
  private readonly ids: string[] = [];
  private readonly times = doubles();
  private readonly sizes = int32s();
  private readonly keyRefs = int32s();
  private readonly offsets = doubles();
  private readonly lengths = int32s();
  /** Entry numbers in identity order, for `indexOf` (built once loaded). */
  private byId = new Int32Array(0);
  /** Keys other than own one-event objects (segments, batch objects), with how many entries point at each. */
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly refCounts: number[] = [];
  /** Per key, the bytes of the lines entries point at (length + newline): less than a segment's size means lines no entry points to. */
  private readonly refBytes: number[] = [];

  private constructor(readonly hourPrefix: string) {}

  /** Every entry the index holds for the hour. */
  static async load(index: EventIndex, hourPrefix: string): Promise<HourEntries> {
    const hour = new HourEntries(hourPrefix);
    const from = hourOfPrefix(hourPrefix);
    let sorted = true;
    for await (const e of index.between({ from, to: from + 3600 })) {
      const n = hour.ids.length;
      if (n > 0 && compareEvents({ timestamp: hour.times.get(n - 1), id: hour.ids[n - 1]! }, e) > 0) sorted = false;
      hour.add(e.id, e.timestamp, e.size, e.location);
    }
    // The port promises (timestamp, id) order; an index that breaks it must not produce unsorted segments.
    const out = sorted ? hour : hour.sorted();
    out.byId = Int32Array.from(out.ids.keys()).sort((a, b) => (out.ids[a]! < out.ids[b]! ? -1 : out.ids[a]! > out.ids[b]! ? 1 : 0));
    return out;
  }

  get count(): number {
    return this.ids.length;
  }

  id(i: number): string {
    return this.ids[i]!;
  }

  size(i: number): number {
    return this.sizes.get(i);
  }

  /** The entry with identity `id`, if the hour has one. */
  indexOf(id: string): number | undefined {
    let lo = 0;
    let hi = this.byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[this.byId[mid]!]! < id) lo = mid + 1;
      else hi = mid;
    }
    const i = this.byId[lo];
    return i !== undefined && this.ids[i] === id ? i : undefined;
  }

  key(i: number): string {
    const ref = this.keyRefs.get(i);
    return ref === OWN_OBJECT ? `${this.hourPrefix}${this.ids[i]}${EVENT_OBJECT_SUFFIX}` : this.keys[ref]!;
  }

  location(i: number): EventLocation {
    const offset = this.offsets.get(i);
    return offset < 0 ? { key: this.key(i) } : { key: this.key(i), offset, length: this.lengths.get(i) };
  }

  /** Whether the entry points at a one-event object. */
  isOneEvent(i: number): boolean {
    return this.keyRefs.get(i) === OWN_OBJECT || this.key(i).endsWith(EVENT_OBJECT_SUFFIX);
  }

  /** Entries pointing at `key` when the hour was loaded. */
  references(key: string): number {
    const ref = this.keyIndex.get(key);
    return ref === undefined ? 0 : this.refCounts[ref]!;
  }

  /** Bytes of the lines of `key` entries pointed at when the hour was loaded (each line's length and its newline). */
  referencedBytes(key: string): number {
    const ref = this.keyIndex.get(key);
    return ref === undefined ? 0 : this.refBytes[ref]!;
  }

  /** Keys (other than one-event objects) entries pointed at when the hour was loaded. */
  referencedKeys(): string[] {
    return this.keys.filter((_, ref) => this.refCounts[ref]! > 0);
  }

  private add(id: string, timestamp: number, size: number, location: EventLocation): void {
    this.ids.push(id);
    this.times.push(timestamp);
    this.sizes.push(size);
    this.offsets.push(location.offset ?? -1);
    this.lengths.push(location.length ?? -1);
    if (location.key === `${this.hourPrefix}${id}${EVENT_OBJECT_SUFFIX}` && location.offset === undefined) {
      this.keyRefs.push(OWN_OBJECT);
      return;
    }
    let ref = this.keyIndex.get(location.key);
    if (ref === undefined) {
      ref = this.keys.push(location.key) - 1;
      this.keyIndex.set(location.key, ref);
      this.refCounts.push(0);
      this.refBytes.push(0);
    }
    this.refCounts[ref]!++;
    if (location.length !== undefined) this.refBytes[ref]! += location.length + 1;
    this.keyRefs.push(ref);
  }

  private sorted(): HourEntries {
    const at = (i: number) => ({ timestamp: this.times.get(i), id: this.ids[i]! });
    const order = this.ids.map((_, i) => i).sort((a, b) => compareEvents(at(a), at(b)));
    const out = new HourEntries(this.hourPrefix);
    for (const i of order) out.add(this.ids[i]!, this.times.get(i), this.sizes.get(i), this.location(i));
    return out;
  }
}
