// A digest of a set of index positions: how verification shows a replay read exactly the positions the index holds.

/**
 * An order-independent digest of a set of index positions: how many, and two sums of a hash of each
 * (`positionHash`), modulo 2^32. A missing, doubled or foreign position changes the count or a sum; errors that
 * happen to cancel in both sums have odds of about 1 in 2^64.
 */
export interface PositionDigest {
  readonly count: number;
  readonly h0: number;
  readonly h1: number;
}

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const DIGEST_SEEDS = [0x9e3779b9, 0x7f4a7c15] as const;

/**
 * h_k(p) of the position digest: two unrelated 32-bit hashes of a position (below 2^53; positions are integers).
 * Why not a linear hash such as p * A mod M: its sum is A * (sum of positions), so a missed 2 and 4 read as 1 and 5
 * would cancel; a mixing hash leaves no relation between sums.
 */
export function positionHash(position: number, k: 0 | 1): number {
  const lo = position >>> 0;
  const hi = Math.floor(position / 4_294_967_296) >>> 0;
  return fmix32(lo ^ fmix32(hi ^ DIGEST_SEEDS[k]));
}

/** Builds a `PositionDigest` one position at a time. */
export class PositionDigester {
  private count = 0;
  private h0 = 0;
  private h1 = 0;

  add(position: number): void {
    this.count++;
    this.h0 = (this.h0 + positionHash(position, 0)) >>> 0;
    this.h1 = (this.h1 + positionHash(position, 1)) >>> 0;
  }

  digest(): PositionDigest {
    return { count: this.count, h0: this.h0, h1: this.h1 };
  }
}

export function sameDigest(a: PositionDigest, b: PositionDigest): boolean {
  return a.count === b.count && a.h0 === b.h0 && a.h1 === b.h1;
}
