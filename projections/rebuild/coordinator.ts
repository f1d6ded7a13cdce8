// The rebuild coordinator: plan → rebuild (snapshot, rehydrate, replay) → verify → promote, per projection.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { PhaseTiming, RebuildOptions, RebuildReport } from './rebuild-options.ts';
import type { RestoreTier } from '../../domain/ports/storage.ts';
import type { Projection } from '../../domain/projection.ts';
import type { RebuildDeps, ReplayEntry } from './deps.ts';
import { defaultElapsed } from './deps.ts';
import type { PlanRequest, RebuildPlan } from './plan.ts';
import { planRebuild } from './plan.ts';
import type { ProgressListener } from './progress.ts';
import { assertPromotable, promoteVerified } from './promote.ts';
import type { PromoteReport } from './promote.ts';
import type { OnArchived } from './read-events.ts';
import { EventReader } from './read-events.ts';
import type { HeldLease } from './rebuild-lease.ts';
import { takeRebuildLease } from './rebuild-lease.ts';
import { ObservedReader, ReplayReference } from './reference.ts';
import type { RehydrateOptions, RehydrateReport } from './rehydrate.ts';
import { mergeRehydrateReports, NO_REHYDRATION, rehydrate } from './rehydrate.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { readCheckpoint, replayTo, toJson } from './replay.ts';
import { rulesFingerprint, upcastersOf, type RulesFingerprint } from './rules-fingerprint.ts';
import { startGeneration } from './start-generation.ts';
import type { VerifyAgainst, VerifyCallOptions, VerifyReport } from './verify.ts';
import { verifyGeneration } from './verify.ts';

export type { PhaseTiming, RebuildOptions, RebuildReport } from './rebuild-options.ts';

/** What rehydration needs: the archive, and how to wait between restore polls. */
type Waits = Pick<RebuildDeps, 'archive' | 'sleep'>;

/**
 * Rebuilds projections from snapshots and the log, against ports only.
 *
 * @example
 * const coordinator = new RebuildCoordinator(local, local.projections);
 * const plan = await coordinator.plan({ projection: 'balances', from: Date.parse('2024-03-01T00:00:00Z') });
 * const built = await coordinator.rebuild(plan, { restoreTier: 'Bulk', onProgress: createProgress(process.stderr) });
 * const check = await coordinator.verify('balances', built.generation, 'log');
 * await coordinator.promote('balances', built.generation, [check]); // throws ReplayVerificationError on a mismatch
 */
export class RebuildCoordinator {
  private readonly elapsed: () => number;
  /** Folds of fresh rebuilds' replays in this process, by `projection/generation`, until verified against the log. */
  private readonly replayed = new Map<string, ReplayReference>();

  constructor(private readonly deps: RebuildDeps, private readonly projections: readonly Projection[]) {
    this.elapsed = deps.elapsed ?? defaultElapsed;
  }

  /** The projection of that name. */
  projection(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new InvalidArgumentError('projection', `unknown projection "${name}" (known: ${this.projections.map((x) => x.name).join(', ')})`);
    return p;
  }

  /** What a rebuild would do (writes nothing). */
  plan(request: PlanRequest): Promise<RebuildPlan> {
    this.projection(request.projection);
    return planRebuild(this.deps, request);
  }

  /**
   * Fill a new generation (or resume an interrupted one of the same plan) as the plan says. The live generation keeps
   * serving, and a finished generation kept unpromoted is neither taken over nor dropped (start-generation.ts).
   * Runs under the projection's rebuild lease (rebuild-lease.ts), released when it returns or throws: while another
   * rebuild of the same projection holds it, throws `RebuildInProgressError` before touching anything. Rebuilds of
   * other projections are not held up. Without `deps.checkpoints` nothing is locked.
   */
  async rebuild(plan: RebuildPlan, options: RebuildOptions = {}): Promise<RebuildReport> {
    const projection = this.projection(plan.projection);
    const lease = await takeRebuildLease(this.deps, projection.name);
    try {
      return await this.rebuildHolding(lease, projection, plan, options);
    } finally {
      await lease.release();
    }
  }

  private async rebuildHolding(lease: HeldLease, projection: Projection, plan: RebuildPlan, options: RebuildOptions): Promise<RebuildReport> {
    const phases: PhaseTiming[] = [];
    const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = this.elapsed();
      try { return await fn(); } finally { phases.push({ phase, ms: Math.round(this.elapsed() - t0) }); }
    };
    // The snapshot restore is one call that can outlast the lease (a PITR restore): the lease renews on a timer during it.
    const started = await timed('snapshot', () => lease.during(() => startGeneration(this.deps, projection, plan, options.generation, options.resumeFinished === true)));
    await lease.renewIfDue();
    const { generation, resumed } = started;
    let cp = started.checkpoint;
    // Restore waits sleep through the lease, which renews it between steps: a wait lasts hours, the lease minutes.
    const waits = { archive: this.deps.archive, sleep: (ms: number) => lease.sleep(ms) };
    const rehydrateOptions = this.rehydrateOptions(options);
    // Rehydration runs inside replay, on each pass's entries before they are read: one index scan serves both, and
    // no list of the pending entries stays alive beside the one replay holds.
    let rehydrated: RehydrateReport | undefined;
    let rehydrateMs = 0;
    const beforePass = async (archivedKeys: readonly string[]): Promise<void> => {
      reference?.startPass();
      const t = this.elapsed();
      const report = await rehydrate(waits, archivedKeys, rehydrateOptions);
      rehydrateMs += this.elapsed() - t;
      rehydrated = rehydrated ? mergeRehydrateReports(rehydrated, report) : report;
    };
    // A fresh rebuild from nothing folds what its replay reads, so verifying it against the log need not read the
    // log again (reference.ts); a resumed one, or one from a snapshot, would be verified by reading it.
    const key = `${projection.name}/${generation}`;
    this.replayed.delete(key);
    const reference = !resumed && plan.baseMark === 0 && cp.replayedThrough === 0 && cp.cursorId === null
      ? new ReplayReference(projection, generation, { after: 0, upTo: plan.mark, ...(plan.until !== undefined ? { until: plan.until } : {}) })
      : undefined;
    const reader = reference ? new ObservedReader(this.deps, this.onArchived(rehydrateOptions, waits), reference) : this.reader(rehydrateOptions, waits);
    const onBatch = async (batchesDone: number): Promise<void> => {
      await lease.renewIfDue();
      await options.onBatch?.(batchesDone);
    };
    const before = cp.applied + cp.duplicates + cp.skipped;
    const t0 = this.elapsed();
    try {
      cp = await replayTo(this.deps, cp, plan.mark, {
        projection, generation, reader, beforePass, ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}), onBatch,
      });
    } finally {
      phases.push({ phase: 'rehydrate', ms: Math.round(rehydrateMs) }, { phase: 'replay', ms: Math.round(this.elapsed() - t0 - rehydrateMs) });
    }
    // The plan's mark is reached: from here on the generation is kept, never dropped nor taken over by a later rebuild.
    cp = { ...cp, phase: 'finished' };
    await this.deps.store.setCheckpoint(projection.name, generation, toJson(cp));
    if (reference) {
      reference.finish(cp.replayedThrough);
      this.replayed.set(key, reference);
    }
    // Nothing left to replay (a finished rebuild run again): the report still says what was readable.
    rehydrated ??= await this.ensureReadable([], rehydrateOptions, waits);
    const replayed = cp.applied + cp.duplicates + cp.skipped - before;
    const eventsPerSecond = Math.round(replayed / Math.max((this.elapsed() - t0 - rehydrateMs) / 1000, 1e-3));
    return { projection: projection.name, generation, resumed, checkpoint: cp, rehydrated, phases, objectsRead: reader.objectsRead, eventsPerSecond };
  }

  /**
   * Compare a generation with a reference at the same high-water mark. A rebuilt generation is compared at the mark
   * its rebuild reached, under the projection's rebuild lease (so no rebuild or drop changes it meanwhile: throws
   * `RebuildInProgressError` while another holds it); the live generation at the dispatch position, without the lease.
   */
  async verify(name: string, generation: number, against: VerifyAgainst, options: VerifyCallOptions = {}): Promise<VerifyReport> {
    const projection = this.projection(name);
    const live = await this.deps.store.liveGeneration(name);
    if (generation === live) return this.runVerify(projection, generation, live, against, options);
    const lease = await takeRebuildLease(this.deps, name);
    try {
      // One long call (it may read the whole log and wait for restores): the lease renews on a timer meanwhile.
      return await lease.during(() => this.runVerify(projection, generation, live, against, options));
    } finally {
      await lease.release();
    }
  }

  private async runVerify(projection: Projection, generation: number, live: number, against: VerifyAgainst, options: VerifyCallOptions): Promise<VerifyReport> {
    const name = projection.name;
    const cp = await readCheckpoint(this.deps, name, generation);
    if (generation !== live && !cp) throw new InvalidArgumentError('generation', `${name} generation ${generation} is neither live (${live}) nor a rebuild's, so it has no mark to verify at: eventlake generations list shows the ones to verify`);
    const mark = generation === live ? await this.liveMark() : cp!.replayedThrough;
    const rehydrateOptions = this.rehydrateOptions(options);
    // The replay's fold serves one verification against the log, then is let go (it holds a record per event).
    const key = `${name}/${generation}`;
    const replayed = against === 'log' ? this.replayed.get(key) : undefined;
    if (replayed) this.replayed.delete(key);
    // Its restores are billed like the replay's: both ways it restores (before a read, and on an object found archived) are counted.
    let rehydrated = NO_REHYDRATION;
    const restored = (report: RehydrateReport) => { rehydrated = mergeRehydrateReports(rehydrated, report); };
    const report = await verifyGeneration(this.deps, {
      projection, generation, against, mark, reader: this.reader(rehydrateOptions, this.deps, restored), ...(replayed ? { replayed } : {}),
      ensureReadable: async (entries) => { restored(await this.ensureReadable(entries, rehydrateOptions)); },
      ...(generation !== live && cp ? { baseMark: cp.baseMark, ...(cp.until !== null ? { until: cp.until } : {}) } : {}),
      // A retired generation took dispatched events past its rebuild's mark: compared where dispatch is, it has them all.
      ...(generation !== live && cp?.phase === 'promoted' ? { completeAt: await this.liveMark() } : {}),
      ...(options.snapshotAt !== undefined ? { snapshotAt: options.snapshotAt } : {}),
    });
    return { ...report, rehydrated };
  }

  /**
   * Serve reads from `generation`, given passing verifications of it (throws `ReplayVerificationError` otherwise).
   * Under the projection's rebuild lease too: its top-ups write the generation's checkpoint, as a rebuild does.
   */
  async promote(name: string, generation: number, verifications: readonly VerifyReport[], options: RebuildOptions = {}): Promise<PromoteReport> {
    const projection = this.projection(name);
    const checkpoint = await this.promotable(name, generation);
    const lease = await takeRebuildLease(this.deps, name);
    try {
      const reader = this.reader(this.rehydrateOptions(options), { archive: this.deps.archive, sleep: (ms) => lease.sleep(ms) });
      const replay = { reader, onBatch: () => lease.renewIfDue(), ...(options.batchSize ? { batchSize: options.batchSize } : {}) };
      return await promoteVerified(this.deps, { projection, generation, checkpoint, verifications, replay, rules: this.rules(projection) });
    } finally {
      await lease.release();
    }
  }

  /**
   * The rebuild checkpoint of a generation that verifications could make promotable; throws `InvalidArgumentError`
   * for one no rebuild filled, an --until view, or one rebuilt under another projection version, and
   * `GenerationRulesChangedError` for one built with other rules than the running code's. Check before verifying.
   */
  async promotable(name: string, generation: number): Promise<RebuildCheckpoint> {
    const checkpoint = await readCheckpoint(this.deps, name, generation);
    if (!checkpoint) throw new InvalidArgumentError('generation', `${name} generation ${generation} was not filled by a rebuild`);
    const projection = this.projection(name);
    assertPromotable(projection, generation, checkpoint, this.rules(projection));
    return checkpoint;
  }

  /** The fingerprint of the rules the projection folds with in this process (what a rebuild records). */
  rules(projection: Projection): RulesFingerprint {
    return rulesFingerprint(projection, upcastersOf(this.deps.registry));
  }

  private async liveMark(): Promise<number> {
    return this.deps.dispatchedPosition ? this.deps.dispatchedPosition() : this.deps.index.lastPosition();
  }

  private rehydrateOptions(options: { restoreTier?: RestoreTier; restoreDays?: number; onProgress?: ProgressListener; poll?: RebuildOptions['poll'] }): RehydrateOptions {
    return { tier: options.restoreTier ?? 'Standard', days: options.restoreDays ?? 1, ...options.poll, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  }

  /** `waits`: where restores are asked for and waited on (a rebuild's sleeps renew its lease). */
  private ensureReadable(entries: readonly ReplayEntry[], options: RehydrateOptions, waits: Waits = this.deps): Promise<RehydrateReport> {
    const keys = entries.filter((e) => e.storageClass !== 'STANDARD').map((e) => e.location.key);
    return rehydrate(waits, keys, options);
  }

  /** `restored`: told what each rehydration of an object found archived did. */
  private reader(options: RehydrateOptions, waits: Waits = this.deps, restored?: (report: RehydrateReport) => void): EventReader {
    return new EventReader(this.deps, this.onArchived(options, waits, restored));
  }

  /** What a reader does on an object found archived: rehydrate it, quietly. */
  private onArchived(options: RehydrateOptions, waits: Waits = this.deps, restored?: (report: RehydrateReport) => void): OnArchived {
    const { onProgress: _quiet, ...quiet } = options;
    return async (key) => { const report = await rehydrate(waits, [key], quiet); restored?.(report); };
  }
}
