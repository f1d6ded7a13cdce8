// One verification through the rebuild coordinator: the mark to compare at (a rebuild's, or the dispatch position for
// the live generation: settled-mark.ts), the replay's fold when one was kept, and what it restored. A rebuilt
// generation's verification keeps what it requested in the generation's checkpoint (restore-record.ts) until it
// finishes, so the attempt that finishes it after others gave up (the rebuild function answered `restoring`) reports
// their restores too.

import type { RestoreTier } from '../../domain/ports/storage.ts';
import type { Projection } from '../../domain/projection.ts';
import { rehydratingReader, rehydrateOptions } from './coordinator-rehydration.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { toJson } from './replay.ts';
import { generationCheckpoint } from './promotable.ts';
import { takeRebuildLease } from './rebuild-lease.ts';
import type { RunContext } from './rebuild-run.ts';
import type { RehydrateOptions, RehydrateReport } from './rehydrate.ts';
import { mergeRehydrateReports, NO_REHYDRATION, rehydrate } from './rehydrate.ts';
import { recordVerification, verificationFinished } from './restore-record.ts';
import { liveHoldsUpTo, liveMark } from './settled-mark.ts';
import type { VerifyAgainst, VerifyReport } from './verify.ts';
import { UnverifiableGenerationError } from './verify-refusals.ts';
import { verifyGeneration } from './verify.ts';

/** What `RebuildCoordinator.verify` takes beyond the generation and its reference. */
export interface VerifyCallOptions {
  /** With 'snapshot': the newest restorable snapshot taken at or before this wall-clock ms. */
  readonly snapshotAt?: number;
  /**
   * With 'snapshot': exactly this one (a rebuild verifying against the snapshot it started from, which a prune or
   * PITR's retention may have taken since: then `RebuildSnapshotGoneError`, never another snapshot).
   */
  readonly snapshotId?: string;
  readonly restoreTier?: RestoreTier;
  readonly restoreDays?: number;
  /**
   * How restores of archived objects the verification reads are polled; with `timeoutMs` it throws rehydrate's
   * "still restoring" TransientError past it, so a caller with a deadline (the rebuild function) can answer in time.
   */
  readonly poll?: Pick<RehydrateOptions, 'pollMs' | 'maxPollMs' | 'timeoutMs'>;
  /** Awaited once a chunk of the verification's fold (VerifyOptions.onBatch): where a CLI lets Ctrl-C in. */
  readonly onBatch?: () => void | Promise<void>;
}

/**
 * Verify `generation` (`live`: the live one's number). Callers hold the rebuild lease unless it is the live one, whose
 * verification takes the lease itself only while it reads a snapshot (so no prune removes it meanwhile).
 */
export async function runVerify(ctx: RunContext, projection: Projection, generation: number, live: number, against: VerifyAgainst, options: VerifyCallOptions): Promise<VerifyReport> {
  const { deps } = ctx;
  const name = projection.name;
  // A retired first generation, filled by dispatch, is verified like a retired rebuild from an empty projection.
  const cp = await generationCheckpoint(deps, name, generation, live);
  if (generation !== live && !cp) throw new UnverifiableGenerationError(name, generation, live);
  const mark = generation === live ? await liveMark(deps) : cp!.replayedThrough;
  // Past its mark the live generation may hold events already (AWS: applied before they are settled): compared there.
  const holds = generation === live || cp?.phase === 'promoted' ? await liveHoldsUpTo(deps) : undefined;
  // The replay's fold serves one verification against the log, then is let go (it holds a record per event).
  const key = `${name}/${generation}`;
  const replayed = against === 'log' ? ctx.replayed.get(key) : undefined;
  if (replayed) ctx.replayed.delete(key);
  // Its restores are billed like the replay's: both ways it restores (before a read, and on an object found archived) are counted.
  let rehydrated = NO_REHYDRATION;
  const restored = (report: RehydrateReport) => { rehydrated = mergeRehydrateReports(rehydrated, report); };
  // Only a rebuilt generation's are kept: the live one is verified without the lease (but for a snapshot's read), so
  // its checkpoint is not ours.
  const kept = generation !== live ? cp : undefined;
  let wrote = false;
  const keep = async (soFar: RehydrateReport) => {
    wrote = true;
    await deps.store.setCheckpoint(name, generation, toJson({ ...kept!, verifyRestores: recordVerification(kept!.verifyRestores, against, mergeRehydrateReports(rehydrated, soFar)) }));
  };
  const restoring = { ...rehydrateOptions(options), ...(kept ? { record: keep } : {}) };
  const report = await verifyGeneration(deps, {
    projection, generation, against, mark, reader: rehydratingReader(deps, restoring, deps, restored), ...(replayed ? { replayed } : {}),
    ensureReadable: async (keys) => { restored(await rehydrate(deps, keys, restoring)); },
    ...(generation !== live && cp ? { baseMark: cp.baseMark, ...(cp.until !== null ? { until: cp.until } : {}) } : {}),
    // A retired generation took dispatched events past its rebuild's mark: compared where dispatch is, it has them all.
    ...(generation !== live && cp?.phase === 'promoted' ? { completeAt: Math.max(await liveMark(deps), holds ?? 0) } : {}),
    ...(generation === live && holds !== undefined ? { completeAt: holds } : {}),
    ...(options.snapshotAt !== undefined ? { snapshotAt: options.snapshotAt } : {}),
    ...(options.snapshotId !== undefined ? { snapshotId: options.snapshotId } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    // Not for a rebuilt generation: its caller holds the lease already, and a second take would refuse itself.
    ...(generation === live ? { snapshotLease: () => takeRebuildLease(deps, name) } : {}),
  });
  if (!kept) return { ...report, rehydrated };
  const all = recordVerification(kept.verifyRestores, against, rehydrated)[against]!;
  if (wrote || kept.verifyRestores?.[against]) await deps.store.setCheckpoint(name, generation, toJson(finished(kept, against)));
  return { ...report, rehydrated: all };
}

/** `cp` without the record of the verification against `against`, which finished. */
function finished(cp: RebuildCheckpoint, against: VerifyAgainst): RebuildCheckpoint {
  const { verifyRestores, ...rest } = cp;
  const left = verificationFinished(verifyRestores, against);
  return left ? { ...rest, verifyRestores: left } : rest;
}
