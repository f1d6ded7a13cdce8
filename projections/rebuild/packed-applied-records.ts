// The idempotency records of a rebuild's reference fold, packed: the fold keeps one per event of the replay, so they are
// what its memory grows with (reference.ts).
//
// Why packed: kept as strings in a Set and record objects in a Map, a million records cost ≈ 140 MB of heap (identity
// strings, memo objects and their strings) that every major collection traces again, and a 3M-event rebuild peaked at
// 1.6 GB. Here an identity of the usual form `<type>_<UUID in lower case>` (every identity eventlake writes: the
// envelope requires a UUID RequestId, and emit lower-cases it) is five 32-bit integers in a typed array, which the
// collector never traces, and a memo is its canonical JSON text. Exact: an identity is compared by all its bits, never
// by a hash. Identities of another form are kept as strings.

import type { JsonObject } from '../../domain/event.ts';
import type { AppliedRecord, AppliedRecordSet } from '../../domain/projection.ts';
import { AppliedDigester, canonicalMemo, type AppliedDigest } from './compare.ts';

/** Int32 fields per slot: type number (0: empty slot), the UUID's 128 bits as four words, the memo's index (-1: none). */
const FIELDS = 6;
const NO_MEMO = -1;
/** At most this share of the slots is used: linear probing stays short, and the table doubles past it. */
const MAX_LOAD = 0.75;
const FIRST_SLOTS = 1 << 12;
/** `<type>_` and 36 characters of UUID. */
const UUID_LENGTH = 36;

/** Value of a lower-case hex digit's char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;

/**
 * Idempotency records as a fold reads and writes them (`has`, `get`, `set`). With `{ digested: true }` (the replay's
 * fold, whose records verification compares) the digest of the set is kept as records are set, so the records
 * themselves can be let go before verification (`digest`); the folds verification makes itself compare counters and
 * rows only, and skip that hashing.
 */
export class PackedAppliedRecords implements AppliedRecordSet {
  private slots = new Int32Array(FIRST_SLOTS * FIELDS);
  private mask = FIRST_SLOTS - 1;
  private used = 0;
  /** Event types by number, from 1 (0 marks an empty slot). */
  private readonly types = new Map<string, number>();
  /** Canonical memo texts, by the index a slot (or `others`) holds. */
  private memos: string[] = [];
  /** Identities not of the packed form, with their memo's index. */
  private others = new Map<string, number>();
  private readonly digester: AppliedDigester | undefined;
  /** The key of the last identity parsed (type number and four words), reused by every call. */
  private readonly key = new Int32Array(5);
  /** The identity `key` holds, if any. */
  private parsed: string | undefined;

  constructor(options: { readonly digested?: boolean } = {}) {
    this.digester = options.digested ? new AppliedDigester() : undefined;
  }

  /** How many records the set holds. */
  get size(): number {
    return this.used + this.others.size;
  }

  has(id: string): boolean {
    return this.memoIndex(id) !== undefined;
  }

  get(id: string): AppliedRecord | undefined {
    const memo = this.memoIndex(id);
    if (memo === undefined) return undefined;
    return { id, memo: memo === NO_MEMO ? null : (JSON.parse(this.memos[memo]!) as JsonObject) };
  }

  set(id: string, record: AppliedRecord): this {
    const text = canonicalMemo(record.memo);
    const memo = record.memo === null ? NO_MEMO : this.memos.push(text) - 1;
    if (!this.parse(id, true)) {
      this.digestReplacing(id, this.others.get(id), text);
      this.others.set(id, memo);
      return this;
    }
    const at = this.find();
    const stored = this.slots[at] !== 0;
    this.digestReplacing(id, stored ? this.slots[at + 5]! : undefined, text);
    if (!stored) {
      this.slots.set(this.key, at);
      this.used++;
    }
    this.slots[at + 5] = memo;
    if (this.used > MAX_LOAD * (this.mask + 1)) this.grow();
    return this;
  }

  /** The digest of every record set (`appliedDigest` of the same records as a Map); undefined unless `digested`. */
  digest(): AppliedDigest | undefined {
    return this.digester?.digest();
  }

  /** Lets every record go (the digest is kept). */
  clear(): void {
    this.slots = new Int32Array(FIRST_SLOTS * FIELDS);
    this.mask = FIRST_SLOTS - 1;
    this.used = 0;
    this.memos = [];
    this.others = new Map();
    this.parsed = undefined;
  }

  /** The digest takes `id`'s record with memo `text`, instead of the one it held (memo index `previous`), if any. */
  private digestReplacing(id: string, previous: number | undefined, text: string): void {
    if (!this.digester) return;
    if (previous !== undefined) this.digester.removeText(id, previous === NO_MEMO ? 'null' : this.memos[previous]!);
    this.digester.addText(id, text);
  }

  /** The memo index of `id`'s record (NO_MEMO for none), or undefined when there is no record. */
  private memoIndex(id: string): number | undefined {
    if (!this.parse(id, false)) return this.others.get(id);
    const at = this.find();
    return this.slots[at] === 0 ? undefined : this.slots[at + 5]!;
  }

  /**
   * Puts `id`'s packed key in `this.key`; false when `id` is not `<type>_<lower-case UUID>`, or when its type was never
   * seen and `register` is false (no record of that type exists then).
   */
  private parse(id: string, register: boolean): boolean {
    // The fold asks for an event's identity twice in a row (has, then set): the same string, parsed once.
    if (id === this.parsed) return true;
    this.parsed = undefined; // `key` is overwritten from here on
    const start = id.length - UUID_LENGTH;
    if (start < 2 || id.charCodeAt(start - 1) !== 95 /* _ */) return false;
    const key = this.key;
    let word = 0;
    let digits = 0;
    for (let i = start; i < id.length; i++) {
      const c = id.charCodeAt(i);
      const offset = i - start;
      if (offset === 8 || offset === 13 || offset === 18 || offset === 23) {
        if (c !== 45 /* - */) return false;
        continue;
      }
      const value = c < 128 ? HEX[c]! : -1;
      if (value < 0) return false;
      word = (word << 4) | value;
      if (++digits % 8 === 0) {
        key[digits / 8] = word;
        word = 0;
      }
    }
    const type = id.slice(0, start - 1);
    let number = this.types.get(type);
    if (number === undefined) {
      if (!register) {
        key[0] = 0;
        return false;
      }
      number = this.types.size + 1;
      this.types.set(type, number);
    }
    key[0] = number;
    this.parsed = id;
    return true;
  }

  /** The slot offset of `this.key`: where it is, or the empty slot where it would go. */
  private find(): number {
    const { slots, key, mask } = this;
    // The UUID's last words are random in every version (v7 puts its time in the first 48 bits); mixed, not taken as is.
    let h = Math.imul(key[4]! ^ Math.imul(key[3]!, 0x85ebca6b) ^ key[0]!, 0x9e3779b1);
    h ^= h >>> 15;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = slot * FIELDS;
      const type = slots[at]!;
      if (type === 0) return at;
      if (type === key[0] && slots[at + 1] === key[1] && slots[at + 2] === key[2] && slots[at + 3] === key[3] && slots[at + 4] === key[4]) return at;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.parsed = undefined;
    this.mask = this.mask * 2 + 1;
    const slots = (this.slots = new Int32Array((this.mask + 1) * FIELDS));
    const key = this.key;
    // Field by field: a subarray per record (two views per move) made growing a million records cost ≈ 0.7 s.
    for (let from = 0; from < old.length; from += FIELDS) {
      if (old[from] === 0) continue;
      for (let f = 0; f < 5; f++) key[f] = old[from + f]!;
      const at = this.find();
      for (let f = 0; f < FIELDS; f++) slots[at + f] = old[from + f]!;
    }
  }
}
