// Rehydration: make every archived object a rebuild reads readable — batched restore requests, then polling with backoff.

import { TransientError } from '../../domain/errors.ts';
import type { ObjectStorage, RestoreTier } from '../../domain/ports/storage.ts';
import { isReadable } from '../../domain/ports/storage.ts';
import type { RebuildDeps } from './deps.ts';
import { batches, defaultSleep } from './deps.ts';
import type { ProgressListener } from './progress.ts';
import { effectiveTier } from './restore-costs.ts';

export interface RehydrateOptions {
  readonly tier: RestoreTier;
  /** How long restored copies stay readable. */
  readonly days: number;
  /** Keys per restore call and per storage poll (S3 takes one request per object; the port takes lists). */
  readonly batchSize?: number;
  /** First wait between polls; it doubles up to `maxPollMs`. */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  /** Give up (TransientError) after this long; default: no limit (Deep Archive Bulk takes up to 48 h). */
  readonly timeoutMs?: number;
  readonly onProgress?: ProgressListener;
}

export interface RehydrateReport {
  readonly objects: number;
  /** Restore requests made, per tier used. */
  readonly requested: Readonly<Partial<Record<RestoreTier, number>>>;
  readonly alreadyReadable: number;
  readonly polls: number;
}

async function storageOf(deps: Pick<RebuildDeps, 'archive'>, keys: readonly string[], size: number): Promise<ObjectStorage[]> {
  const out: ObjectStorage[] = [];
  for (const batch of batches(keys, size)) out.push(...(await deps.archive.storage(batch)));
  return out;
}

/**
 * Restore the unreadable ones among `keys` and wait until all are readable. Objects already RESTORING are not
 * requested again; Expedited is asked of Glacier objects only (Deep Archive gets Standard, its fastest tier).
 */
export async function rehydrate(deps: Pick<RebuildDeps, 'archive' | 'sleep'>, keys: readonly string[], options: RehydrateOptions): Promise<RehydrateReport> {
  const size = options.batchSize ?? 500;
  const sleep = deps.sleep ?? defaultSleep;
  const unique = [...new Set(keys)];
  const initial = await storageOf(deps, unique, size);
  const waiting = initial.filter((o) => !isReadable(o));
  const requested: Partial<Record<RestoreTier, number>> = {};
  const toRequest = waiting.filter((o) => o.restore === 'NONE' && o.storageClass !== 'STANDARD');
  for (const storageClass of ['GLACIER', 'DEEP_ARCHIVE'] as const) {
    const tier = effectiveTier(storageClass, options.tier);
    const ofClass = toRequest.filter((o) => o.storageClass === storageClass).map((o) => o.key);
    for (const batch of batches(ofClass, size)) await deps.archive.restore(batch, { tier, days: options.days });
    if (ofClass.length > 0) requested[tier] = (requested[tier] ?? 0) + ofClass.length;
  }
  const total = waiting.length;
  options.onProgress?.({ phase: 'rehydrate', done: 0, total, unit: 'objects' });
  let pending = waiting.map((o) => o.key);
  let wait = options.pollMs ?? 50;
  let waited = 0;
  let polls = 0;
  while (pending.length > 0) {
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      throw new TransientError(`${pending.length} archived object(s) still restoring after ${waited} ms (first: ${pending[0]}); run the rebuild again later to resume`);
    }
    // Capped at the time left: a full interval past the limit would overrun a caller's deadline (the rebuild function's).
    const slept = options.timeoutMs === undefined ? wait : Math.min(wait, options.timeoutMs - waited);
    await sleep(slept);
    waited += slept;
    wait = Math.min(wait * 2, options.maxPollMs ?? 2000);
    polls++;
    const states = await storageOf(deps, pending, size);
    // A copy that expired (or a restore that was never requested) while we waited is requested again.
    const lost = states.filter((o) => o.restore === 'NONE' && o.storageClass !== 'STANDARD');
    for (const o of lost) {
      if (o.storageClass !== 'STANDARD') await deps.archive.restore([o.key], { tier: effectiveTier(o.storageClass, options.tier), days: options.days });
    }
    pending = states.filter((o) => !isReadable(o)).map((o) => o.key);
    options.onProgress?.({ phase: 'rehydrate', done: total - pending.length, total, unit: 'objects' });
  }
  return { objects: unique.length, requested, alreadyReadable: unique.length - total, polls };
}

/** The report of rehydrating nothing: what reports of several rehydrations are merged into. */
export const NO_REHYDRATION: RehydrateReport = { objects: 0, requested: {}, alreadyReadable: 0, polls: 0 };

/** Two rehydrations' reports as one (a resumed rebuild rehydrates the rest of its pass, then the next pass). */
export function mergeRehydrateReports(a: RehydrateReport, b: RehydrateReport): RehydrateReport {
  const requested: Partial<Record<RestoreTier, number>> = { ...a.requested };
  for (const [tier, n] of Object.entries(b.requested) as [RestoreTier, number][]) requested[tier] = (requested[tier] ?? 0) + n;
  return { objects: a.objects + b.objects, requested, alreadyReadable: a.alreadyReadable + b.alreadyReadable, polls: a.polls + b.polls };
}
