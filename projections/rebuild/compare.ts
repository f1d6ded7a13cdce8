// Comparing two projection states account by account: counters and rows, never the order they were built in.

import type { StateDifference } from '../../domain/projection-errors.ts';
import { serializeEvent } from '../../domain/event.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { AppliedRecord, ProjectionState } from '../../domain/projection.ts';

/** A difference, with the account (counter key, or row partition) it belongs to. */
export interface AccountDifference extends StateDifference {
  readonly account: string;
}

/** What of a state is compared: counters and rows (idempotency records are compared as digests, `AppliedDigest`). */
export type Compared = Pick<ProjectionState, 'counters' | 'rows'>;

// Canonical JSON (sorted keys), so two rows with the same content compare equal whatever their key order.
const canonical = (value: JsonObject): string => serializeEvent(value as unknown as DomainEvent);

/** A memo as the applied digest reads it: canonical JSON (sorted keys), 'null' for none. */
export const canonicalMemo = (memo: JsonObject | null): string => (memo === null ? 'null' : canonical(memo));

/**
 * Every counter and row where `actual` differs from `expected`, sorted by account then key.
 * Row keys read `<partition>/<row key>`; values are integers (counters) and canonical JSON (rows).
 */
export function compareStates(expected: Compared, actual: Compared): AccountDifference[] {
  const out = compareCounters(expected.counters, actual.counters);
  for (const key of new Set([...expected.rows.keys(), ...actual.rows.keys()])) {
    const difference = rowDifference(key, expected.rows.get(key), actual.rows.get(key));
    if (difference) out.push(difference);
  }
  return sortDifferences(out);
}

/** Every counter where `actual` differs from `expected` (unsorted). */
export function compareCounters(expected: Compared['counters'], actual: Compared['counters']): AccountDifference[] {
  const out: AccountDifference[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const [e, a] = [expected.get(key), actual.get(key)];
    // An absent counter and a zero one mean the same balance only if the account was never touched: keep them apart.
    if (e !== a) out.push({ kind: 'counter', account: key, key, expected: e === undefined ? null : String(e), actual: a === undefined ? null : String(a) });
  }
  return out;
}

type Row = { readonly partition: string; readonly value: JsonObject };

/** The difference of row `key` between the two sides (undefined: none, or absent from both). */
function rowDifference(key: string, e: Row | undefined, a: Row | undefined): AccountDifference | undefined {
  const [ev, av] = [e ? `${e.partition} ${canonical(e.value)}` : null, a ? `${a.partition} ${canonical(a.value)}` : null];
  if (ev === av) return undefined;
  const account = (e ?? a)!.partition;
  return { kind: 'row', account, key: `${account}/${key}`, expected: e ? canonical(e.value) : null, actual: a ? canonical(a.value) : null };
}

/** `differences` sorted by account then key, as every comparison reports them. */
export function sortDifferences(differences: AccountDifference[]): AccountDifference[] {
  return differences.sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/**
 * The rows of `expected` compared with a side whose rows are streamed (`visit` each, in any order), so that side is
 * never held whole: a million-row generation beside the fold it is compared with doubled a verification's peak
 * memory. `differences` needs the streamed side's keys again only when some expected row was not among them.
 */
export class StreamedRowComparison {
  private readonly found: AccountDifference[] = [];
  /** Streamed rows whose key `expected` holds. */
  private present = 0;

  constructor(private readonly expected: Compared['rows']) {}

  visit(key: string, row: Row): void {
    const e = this.expected.get(key);
    if (e) this.present++;
    const difference = rowDifference(key, e, row);
    if (difference) this.found.push(difference);
  }

  /** The row differences (unsorted); `streamedKeys` streams the same side's keys again, asked only if one is missing. */
  async differences(streamedKeys: () => Promise<ReadonlySet<string>>): Promise<AccountDifference[]> {
    if (this.present === this.expected.size) return this.found;
    const keys = await streamedKeys();
    for (const [key, row] of this.expected) if (!keys.has(key)) this.found.push(rowDifference(key, row, undefined)!);
    return this.found;
  }
}

/** An order-independent digest of idempotency records: how many, and two sums of hashes of (identity, canonical memo). */
export interface AppliedDigest {
  readonly records: number;
  readonly h0: number;
  readonly h1: number;
}

/**
 * The digest of a set of idempotency records (event identity and canonical memo). Why a digest and not the records
 * themselves: a million-event generation holds a million records on each side, and keeping both sides' records to
 * compare them would double the peak memory of a verification; each side is digested, then let go. Two different
 * sets share a digest with odds of about 1 in 2^64.
 */
export function appliedDigest(applied: ReadonlyMap<string, AppliedRecord>): AppliedDigest {
  const digester = new AppliedDigester();
  for (const [id, record] of applied) digester.add(id, record.memo);
  return digester.digest();
}

/** `appliedDigest` one record at a time, for records streamed from a store instead of held in a map. */
export class AppliedDigester {
  private h0 = 0;
  private h1 = 0;
  private records = 0;

  add(id: string, memoValue: JsonObject | null): void {
    this.addText(id, canonicalMemo(memoValue));
  }

  /** `add` with the memo as its canonical JSON text (`canonicalMemo`; 'null' for none). */
  addText(id: string, memo: string): void {
    this.fold(id, memo, 1);
  }

  /** Takes back an `addText` of the same record (a record replaced in a set being digested). */
  removeText(id: string, memo: string): void {
    this.fold(id, memo, -1);
  }

  private fold(id: string, memo: string, sign: 1 | -1): void {
    // FNV-1a and a multiplicative string hash over the identity, a separator and the canonical memo, without
    // concatenating them (a million throwaway strings would grow the heap the digest is there to keep small).
    let a = 0x811c9dc5;
    let b = 5381;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = (Math.imul(b, 33) + c) | 0;
    }
    a = Math.imul(a ^ 0x20, 0x01000193);
    b = (Math.imul(b, 33) + 0x20) | 0;
    for (let i = 0; i < memo.length; i++) {
      const c = memo.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = (Math.imul(b, 33) + c) | 0;
    }
    // Sums modulo 2^32, so a record is taken back by subtracting what it added.
    this.h0 = (this.h0 + sign * (a >>> 0)) >>> 0;
    this.h1 = (this.h1 + sign * (Math.imul(b ^ (b >>> 15), 0x2c1b3c6d) >>> 0)) >>> 0;
    this.records += sign;
  }

  digest(): AppliedDigest {
    return { records: this.records, h0: this.h0, h1: this.h1 };
  }
}

/** The account idempotency-record differences are filed under (records belong to events, not to accounts). */
export const IDEMPOTENCY_ACCOUNT = '(idempotency records)';

/** The difference between two idempotency-record digests (none when equal). */
export function compareAppliedDigests(expected: AppliedDigest, actual: AppliedDigest): AccountDifference[] {
  if (expected.records === actual.records && expected.h0 === actual.h0 && expected.h1 === actual.h1) return [];
  const show = (d: AppliedDigest) => `${d.records} records (digest ${d.h0.toString(16).padStart(8, '0')}${d.h1.toString(16).padStart(8, '0')})`;
  return [{ kind: 'applied', account: IDEMPOTENCY_ACCOUNT, key: 'all records', expected: show(expected), actual: show(actual) }];
}

/** Differences grouped by account, in account order. */
export function byAccount(differences: readonly AccountDifference[]): Map<string, AccountDifference[]> {
  const out = new Map<string, AccountDifference[]>();
  for (const d of differences) out.set(d.account, [...(out.get(d.account) ?? []), d]);
  return out;
}
