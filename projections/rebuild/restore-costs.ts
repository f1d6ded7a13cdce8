// The documented S3 restore price and time table, and the estimate of one rebuild's restores per retrieval tier.
//
// Sources (read 2026-11-25, us-east-1 list prices; check https://aws.amazon.com/s3/pricing/ before relying on them):
// - times: AWS docs, "Understanding archive retrieval options"
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
//   (Flexible Retrieval: Expedited 1-5 min, Standard 3-5 h, Bulk 5-12 h; Deep Archive: Standard <= 12 h,
//   Bulk <= 48 h; no Expedited from Deep Archive; Bulk from Flexible Retrieval is free)
// - prices: AWS re:Post, "manage data retrieval costs of S3 Glacier" https://repost.aws/knowledge-center/s3-manage-data-retrieval
//   (Flexible Retrieval Standard $0.01/GB + $0.05 per 1,000 requests, Expedited $0.03/GB + $10 per 1,000), and
//   the S3 pricing page for Deep Archive (Standard $0.02/GB + $0.10 per 1,000, Bulk $0.0025/GB + $0.025 per 1,000).
// Prices are kept in integer micro-dollars so estimates never use floating-point money.

import type { RestoreTier, StorageClass } from '../../domain/ports/storage.ts';

export type ArchiveClass = Exclude<StorageClass, 'STANDARD'>;

/** One row of the table: what restoring from `storageClass` with `tier` costs and how long it takes. */
export interface RestorePrice {
  readonly storageClass: ArchiveClass;
  readonly tier: RestoreTier;
  /** Micro-dollars per GiB retrieved. */
  readonly perGbMicros: number;
  /** Micro-dollars per 1,000 restore requests (one request per object). */
  readonly per1000RequestsMicros: number;
  /** Typical completion time, in minutes. */
  readonly minMinutes: number;
  readonly maxMinutes: number;
}

/** The table. Deep Archive has no Expedited row: AWS rejects that request, and so do we. */
export const RESTORE_PRICES: readonly RestorePrice[] = [
  { storageClass: 'GLACIER', tier: 'Expedited', perGbMicros: 30_000, per1000RequestsMicros: 10_000_000, minMinutes: 1, maxMinutes: 5 },
  { storageClass: 'GLACIER', tier: 'Standard', perGbMicros: 10_000, per1000RequestsMicros: 50_000, minMinutes: 180, maxMinutes: 300 },
  { storageClass: 'GLACIER', tier: 'Bulk', perGbMicros: 0, per1000RequestsMicros: 0, minMinutes: 300, maxMinutes: 720 },
  { storageClass: 'DEEP_ARCHIVE', tier: 'Standard', perGbMicros: 20_000, per1000RequestsMicros: 100_000, minMinutes: 0, maxMinutes: 720 },
  { storageClass: 'DEEP_ARCHIVE', tier: 'Bulk', perGbMicros: 2_500, per1000RequestsMicros: 25_000, minMinutes: 0, maxMinutes: 2880 },
];

export const RESTORE_TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/**
 * The tier actually used for an object of `storageClass` when `requested` is asked for:
 * Expedited from Deep Archive falls back to Standard (the fastest tier Deep Archive offers).
 */
export function effectiveTier(storageClass: ArchiveClass, requested: RestoreTier): RestoreTier {
  return storageClass === 'DEEP_ARCHIVE' && requested === 'Expedited' ? 'Standard' : requested;
}

function priceOf(storageClass: ArchiveClass, tier: RestoreTier): RestorePrice {
  const p = RESTORE_PRICES.find((r) => r.storageClass === storageClass && r.tier === effectiveTier(storageClass, tier));
  if (!p) throw new RangeError(`no restore price for ${storageClass}/${tier}`);
  return p;
}

/** Objects and bytes to restore from one archive class. */
export interface RestoreVolume {
  readonly objects: number;
  readonly bytes: number;
}

/** Two sets of restores as one, per archive class (a plan's replay and its verification: one bill). */
export function addVolumes(a: Readonly<Record<ArchiveClass, RestoreVolume>>, b: Readonly<Record<ArchiveClass, RestoreVolume>>): Record<ArchiveClass, RestoreVolume> {
  const add = (c: ArchiveClass): RestoreVolume => ({ objects: a[c].objects + b[c].objects, bytes: a[c].bytes + b[c].bytes });
  return { GLACIER: add('GLACIER'), DEEP_ARCHIVE: add('DEEP_ARCHIVE') };
}

/** Estimated cost and time of restoring the volumes with one requested tier. */
export interface RestoreEstimate {
  readonly tier: RestoreTier;
  readonly costMicros: number;
  /** Human form, e.g. `$0.0123`. */
  readonly cost: string;
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** Per class, the tier used (Expedited from Deep Archive becomes Standard). */
  readonly tiersUsed: Readonly<Partial<Record<ArchiveClass, RestoreTier>>>;
}

const GIB = 1n << 30n;
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Micro-dollars of restoring `volume` from `storageClass` with `tier` (rounded up). */
export function restoreCostMicros(storageClass: ArchiveClass, tier: RestoreTier, volume: RestoreVolume): number {
  if (volume.objects === 0) return 0;
  const p = priceOf(storageClass, tier);
  const data = ceilDiv(BigInt(volume.bytes) * BigInt(p.perGbMicros), GIB);
  const requests = ceilDiv(BigInt(volume.objects) * BigInt(p.per1000RequestsMicros), 1000n);
  return Number(data + requests);
}

/** `$1.2345` from micro-dollars (four decimals, rounded up so a non-zero cost never shows as zero). */
export function formatMicros(micros: number): string {
  const hundredths = ceilDiv(BigInt(micros), 100n);
  return `$${hundredths / 10_000n}.${(hundredths % 10_000n).toString().padStart(4, '0')}`;
}

/** One estimate per requested tier, for the volumes to restore from each archive class. */
export function estimateRestores(volumes: Readonly<Record<ArchiveClass, RestoreVolume>>): RestoreEstimate[] {
  return RESTORE_TIERS.map((tier) => {
    let costMicros = 0;
    let minMinutes = 0;
    let maxMinutes = 0;
    const tiersUsed: Partial<Record<ArchiveClass, RestoreTier>> = {};
    for (const storageClass of ['GLACIER', 'DEEP_ARCHIVE'] as const) {
      const volume = volumes[storageClass];
      if (volume.objects === 0) continue;
      const p = priceOf(storageClass, tier);
      tiersUsed[storageClass] = p.tier;
      costMicros += restoreCostMicros(storageClass, tier, volume);
      minMinutes = Math.max(minMinutes, p.minMinutes);
      maxMinutes = Math.max(maxMinutes, p.maxMinutes);
    }
    return { tier, costMicros, cost: formatMicros(costMicros), minMinutes, maxMinutes, tiersUsed };
  });
}

/**
 * One estimate per requested tier for restoring `first`, then `second` once `first` was read (a rebuild's replay, then
 * its verification, which asks for its restores only when it runs): one bill, the two waits one after the other.
 */
export function estimateRestoresInTurn(first: Readonly<Record<ArchiveClass, RestoreVolume>>, second: Readonly<Record<ArchiveClass, RestoreVolume>>): RestoreEstimate[] {
  const [a, b] = [estimateRestores(first), estimateRestores(second)];
  return estimateRestores(addVolumes(first, second)).map((e, i) => ({
    ...e, minMinutes: a[i]!.minMinutes + b[i]!.minMinutes, maxMinutes: a[i]!.maxMinutes + b[i]!.maxMinutes,
  }));
}

/** `1-5 min`, `3-5 h`, `1 min-12 h`, `<= 12 h`, `none`. */
export function formatDuration(minMinutes: number, maxMinutes: number): string {
  if (maxMinutes === 0) return 'none';
  const unit = (m: number) => (m < 60 ? 'min' : 'h');
  const value = (m: number) => String(m < 60 ? m : m / 60);
  if (minMinutes === 0) return `<= ${value(maxMinutes)} ${unit(maxMinutes)}`;
  if (unit(minMinutes) === unit(maxMinutes)) return `${value(minMinutes)}-${value(maxMinutes)} ${unit(maxMinutes)}`;
  return `${value(minMinutes)} ${unit(minMinutes)}-${value(maxMinutes)} ${unit(maxMinutes)}`;
}
