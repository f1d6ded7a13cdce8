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
  /**
   * Told the report so far each time restores were just requested, and before giving up: a caller that is resumed
   * later (a rebuild after an invocation answered `restoring`) keeps there what was asked for (restore-record.ts).
   */
  readonly record?: (soFar: RehydrateReport) => Promise<void>;
}

export interface RehydrateReport {
  readonly objects: number;
  /** Restore requests made, per tier used: a copy that expired while waited for and was requested again counts twice. */
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
 * Request restores of those of `objects` that have none (the tier Expedited is not asked of Deep Archive), batched
 * per class, counting them into `requested`, and tell `record` the report `soFar` once any was requested.
 *
 * Why counted per batch and told before a failed call is rethrown: the batches before it were requested (and are
 * billed), and the next attempt finds those objects RESTORING and does not request them again, so a count not kept
 * now would be missing from every later report.
 */
async function requestRestores(deps: Pick<RebuildDeps, 'archive'>, objects: readonly ObjectStorage[], options: RehydrateOptions, requested: Partial<Record<RestoreTier, number>>, soFar: () => RehydrateReport): Promise<void> {
  const toRequest = objects.filter((o) => o.restore === 'NONE' && o.storageClass !== 'STANDARD');
  let any = false;
  try {
    for (const storageClass of ['GLACIER', 'DEEP_ARCHIVE'] as const) {
      const tier = effectiveTier(storageClass, options.tier);
      const ofClass = toRequest.filter((o) => o.storageClass === storageClass).map((o) => o.key);
      for (const batch of batches(ofClass, options.batchSize ?? 500)) {
        await deps.archive.restore(batch, { tier, days: options.days });
        requested[tier] = (requested[tier] ?? 0) + batch.length;
        any = true;
      }
    }
  } catch (error) {
    // The restore's failure is what the caller must see: a record that fails too (the same outage) only loses counts.
    if (any) await options.record?.(soFar()).catch(() => {});
    throw error;
  }
  if (any) await options.record?.(soFar());
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
  const total = waiting.length;
  let polls = 0;
  const soFar = (): RehydrateReport => ({ objects: unique.length, requested: { ...requested }, alreadyReadable: unique.length - total, polls });
  await requestRestores(deps, waiting, options, requested, soFar);
  options.onProgress?.({ phase: 'rehydrate', done: 0, total, unit: 'objects' });
  let pending = waiting.map((o) => o.key);
  let wait = options.pollMs ?? 50;
  let waited = 0;
  while (pending.length > 0) {
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      await options.record?.(soFar());
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
    await requestRestores(deps, states, options, requested, soFar);
    pending = states.filter((o) => !isReadable(o)).map((o) => o.key);
    options.onProgress?.({ phase: 'rehydrate', done: total - pending.length, total, unit: 'objects' });
  }
  return soFar();
}

/** The report of rehydrating nothing: what reports of several rehydrations are merged into. */
export const NO_REHYDRATION: RehydrateReport = { objects: 0, requested: {}, alreadyReadable: 0, polls: 0 };

function addRequests(a: RehydrateReport, b: RehydrateReport): Partial<Record<RestoreTier, number>> {
  const requested: Partial<Record<RestoreTier, number>> = { ...a.requested };
  for (const [tier, n] of Object.entries(b.requested) as [RestoreTier, number][]) requested[tier] = (requested[tier] ?? 0) + n;
  return requested;
}

/** Two rehydrations' reports as one, of different objects (a rebuild's passes; a verification's reads). */
export function mergeRehydrateReports(a: RehydrateReport, b: RehydrateReport): RehydrateReport {
  return { objects: a.objects + b.objects, requested: addRequests(a, b), alreadyReadable: a.alreadyReadable + b.alreadyReadable, polls: a.polls + b.polls };
}

/**
 * The report of a rehydration that ran again after `earlier` (its attempts before, which gave up or were cut short)
 * as `again`: requests and polls add up. The objects are as the first attempt found them, since a copy it asked for
 * reads as readable by now, and counting it "already readable" would hide that it was restored. Objects only `again`
 * saw (more of its pass was archived meanwhile) are added; as readable only as many as `again` found readable
 * beyond those it was still waiting for.
 */
export function resumeRehydration(earlier: RehydrateReport, again: RehydrateReport): RehydrateReport {
  const more = Math.max(0, again.objects - earlier.objects);
  const readableMore = Math.max(0, more - (again.objects - again.alreadyReadable));
  return { objects: earlier.objects + more, requested: addRequests(earlier, again), alreadyReadable: earlier.alreadyReadable + readableMore, polls: earlier.polls + again.polls };
}
