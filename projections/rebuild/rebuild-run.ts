// One rebuild under its projection's lease: start (or resume) the generation, replay it to the plan's mark with each
// pass's archived objects rehydrated first, mark it finished, and report. What it restored is kept in the
// generation's checkpoint as it is requested (restore-record.ts), so the invocation that finishes a rebuild others
// began reports their restores too.

import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps } from './deps.ts';
import { onArchived, rehydratingReader, rehydrateOptions } from './coordinator-rehydration.ts';
import type { RebuildPlan } from './plan.ts';
import { finishPromotion } from './promote.ts';
import type { HeldLease } from './rebuild-lease.ts';
import type { PhaseTiming, RebuildOptions, RebuildReport } from './rebuild-options.ts';
import { ObservedReader, ReplayReference } from './reference.ts';
import type { RehydrateReport } from './rehydrate.ts';
import { rehydrate } from './rehydrate.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { replayTo, toJson } from './replay.ts';
import { recordPass, replayRestored } from './restore-record.ts';
import { startGeneration } from './start-generation.ts';

/** What a coordinator's runs share: its ports, its clock, and the folds of fresh replays kept for verifying them. */
export interface RunContext {
  readonly deps: RebuildDeps;
  /** Monotonic ms. */
  readonly elapsed: () => number;
  /** Folds of fresh rebuilds' replays in this process, by `projection/generation`, until verified against the log. */
  readonly replayed: Map<string, ReplayReference>;
}

/** Fill a generation as the plan says, holding `lease` (RebuildCoordinator.rebuild takes and frees it). */
export async function runRebuild(ctx: RunContext, lease: HeldLease, projection: Projection, plan: RebuildPlan, options: RebuildOptions): Promise<RebuildReport> {
  const { deps } = ctx;
  const phases: PhaseTiming[] = [];
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = ctx.elapsed();
    try { return await fn(); } finally { phases.push({ phase, ms: Math.round(ctx.elapsed() - t0) }); }
  };
  // The snapshot restore is one call that can outlast the lease (a PITR restore): the lease renews on a timer during it.
  // Bounded like the archive restores' waits (`poll.timeoutMs`): a rebuild function's invocation answers in time.
  const restoreWait = options.poll?.timeoutMs !== undefined ? { timeoutMs: options.poll.timeoutMs } : {};
  const start = { resumeFinished: options.resumeFinished === true, restoreWait, ...(options.generation !== undefined ? { generation: options.generation } : {}) };
  // Restore waits sleep through the lease, which renews it between steps: a wait lasts hours, the lease minutes.
  const waits = { archive: deps.archive, sleep: (ms: number) => lease.sleep(ms) };
  const restoring = rehydrateOptions(options);
  // A promotion cut short after its switch (a rule threw in its top-up) left the live generation lacking events:
  // running the same rebuild again finishes it first, as its error said (promote.ts).
  await finishPromotion(deps, { projection, replay: { reader: rehydratingReader(deps, restoring, waits), onBatch: () => lease.renewIfDue() }, sleep: waits.sleep });
  const started = await timed('snapshot', () => lease.during(() => startGeneration(deps, projection, plan, start)));
  await lease.renewIfDue();
  const { generation, resumed } = started;
  let cp = started.checkpoint;
  // Rehydration runs inside replay, on each pass's entries before they are read: one index scan serves both, and
  // no list of the pending entries stays alive beside the one replay holds.
  let rehydrateMs = 0;
  const beforePass = async (archivedKeys: readonly string[], pass: RebuildCheckpoint): Promise<RebuildCheckpoint> => {
    reference?.startPass();
    const t = ctx.elapsed();
    const record = (soFar: RehydrateReport) => ({ ...pass, replayRestores: recordPass(pass.replayRestores, pass.replayedThrough, soFar) });
    // Kept as soon as restores are asked for: an invocation that gives up on them, or is cut short, leaves them there
    // for the one that finishes the rebuild to report.
    const keep = (soFar: RehydrateReport) => deps.store.setCheckpoint(projection.name, generation, toJson(record(soFar)));
    const report = await rehydrate(waits, archivedKeys, { ...restoring, record: keep });
    rehydrateMs += ctx.elapsed() - t;
    return record(report);
  };
  // A fresh rebuild from nothing folds what its replay reads, so verifying it against the log need not read the
  // log again (reference.ts); a resumed one, or one from a snapshot, would be verified by reading it.
  const key = `${projection.name}/${generation}`;
  ctx.replayed.delete(key);
  const reference = !resumed && plan.baseMark === 0 && cp.replayedThrough === 0 && cp.cursorId === null
    ? new ReplayReference(projection, generation, { after: 0, upTo: plan.mark, ...(plan.until !== undefined ? { until: plan.until } : {}) })
    : undefined;
  const reader = reference ? new ObservedReader(deps, onArchived(restoring, waits), reference) : rehydratingReader(deps, restoring, waits);
  const onBatch = async (batchesDone: number): Promise<void> => {
    await lease.renewIfDue();
    await options.onBatch?.(batchesDone);
  };
  const before = cp.applied + cp.duplicates + cp.skipped;
  // A generation that is not live receives no dispatch: under the lease, this replay is its only writer, and the store
  // may commit its batches together (ReplayOptions.exclusive).
  const exclusive = cp.phase !== 'promoted' && (await deps.store.liveGeneration(projection.name)) !== generation;
  const t0 = ctx.elapsed();
  try {
    cp = await replayTo(deps, cp, plan.mark, {
      projection, generation, reader, beforePass, exclusive, ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), onBatch,
    });
  } finally {
    phases.push({ phase: 'rehydrate', ms: Math.round(rehydrateMs) }, { phase: 'replay', ms: Math.round(ctx.elapsed() - t0 - rehydrateMs) });
  }
  // The plan's mark is reached: from here on the generation is kept, never dropped nor taken over by a later rebuild.
  cp = { ...cp, phase: 'finished' };
  await deps.store.setCheckpoint(projection.name, generation, toJson(cp));
  if (reference) {
    reference.finish(cp.replayedThrough);
    ctx.replayed.set(key, reference);
  }
  const replayed = cp.applied + cp.duplicates + cp.skipped - before;
  const eventsPerSecond = Math.round(replayed / Math.max((ctx.elapsed() - t0 - rehydrateMs) / 1000, 1e-3));
  // Every invocation's restores, a finished rebuild run again included: what was paid for this generation's replay.
  return { projection: projection.name, generation, resumed, checkpoint: cp, rehydrated: replayRestored(cp), phases, objectsRead: reader.objectsRead, eventsPerSecond };
}
