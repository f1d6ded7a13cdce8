// The rebuild coordinator: plan → rebuild (snapshot, rehydrate, replay) → verify → promote, per projection. It owns the
// public API, each call's projection and its rebuild lease; the work is in rebuild-run.ts (the rebuild) and
// verify-run.ts (a verification), their restores in coordinator-rehydration.ts.

import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import { checkCallOptions, REBUILD_OPTION_KEYS, VERIFY_OPTION_KEYS } from './call-options-check.ts';
import { rehydrateOptions, rehydratingReader } from './coordinator-rehydration.ts';
import type { RebuildDeps } from './deps.ts';
import { defaultElapsed } from './deps.ts';
import type { PlanRequest, RebuildPlan } from './plan.ts';
import { planRebuild } from './plan.ts';
import { finishPromotion, promoteVerified, promotionCutShort } from './promote.ts';
import { promotableCheckpoint } from './promotable.ts';
import type { PromoteInput, PromoteReport } from './promote.ts';
import { takeRebuildLease } from './rebuild-lease.ts';
import type { RebuildOptions, RebuildReport } from './rebuild-options.ts';
import type { RunContext } from './rebuild-run.ts';
import { runRebuild } from './rebuild-run.ts';
import type { RebuildCheckpoint } from './replay.ts';
import { rulesFingerprint, upcastersOf, type RulesFingerprint } from './rules-fingerprint.ts';
import type { VerifyAgainst, VerifyCallOptions, VerifyReport } from './verify.ts';
import { runVerify } from './verify-run.ts';

export type { PhaseTiming, RebuildOptions, RebuildReport } from './rebuild-options.ts';

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
  /** What its rebuilds and verifications share, the replays' folds kept for verifying them among it. */
  private readonly context: RunContext;

  constructor(private readonly deps: RebuildDeps, private readonly projections: readonly Projection[]) {
    this.context = { deps, elapsed: deps.elapsed ?? defaultElapsed, replayed: new Map() };
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
    checkCallOptions(options);
    const lease = await takeRebuildLease(this.deps, projection.name);
    try {
      return await runRebuild(this.context, lease, projection, plan, options);
    } finally {
      await lease.release();
    }
  }

  /**
   * Compare a generation with a reference at the same high-water mark. A rebuilt generation is compared at the mark
   * its rebuild reached, under the projection's rebuild lease (so no rebuild or drop changes it meanwhile: throws
   * `RebuildInProgressError` while another holds it); the live generation at the dispatch position, without the lease
   * except while it reads a snapshot (against 'snapshot': `RebuildInProgressError` while another holds it).
   */
  async verify(name: string, generation: number, against: VerifyAgainst, options: VerifyCallOptions = {}): Promise<VerifyReport> {
    const projection = this.projection(name);
    checkCallOptions(options, VERIFY_OPTION_KEYS, 'the verify options');
    const live = await this.deps.store.liveGeneration(name);
    if (generation === live) return runVerify(this.context, projection, generation, live, against, options);
    const lease = await takeRebuildLease(this.deps, name);
    try {
      // One long call (it may read the whole log and wait for restores): the lease renews on a timer meanwhile.
      return await lease.during(() => runVerify(this.context, projection, generation, live, against, options));
    } finally {
      await lease.release();
    }
  }

  /**
   * Serve reads from `generation`, given passing verifications of it (throws `ReplayVerificationError` otherwise).
   * Idempotent: a generation that is live already is answered as promoted (`previous` equal to it, nothing topped up),
   * unless its promotion was cut short after the switch (a rule threw in its top-up): that top-up is finished (`resumed`).
   * Under the projection's rebuild lease too: its top-ups write the generation's checkpoint, as a rebuild does.
   */
  async promote(name: string, generation: number, verifications: readonly VerifyReport[], options: RebuildOptions = {}): Promise<PromoteReport> {
    const projection = this.projection(name);
    checkCallOptions(options, REBUILD_OPTION_KEYS, 'the promote options');
    // Already live is what was asked: most often a retry of a promotion that completed but whose answer was lost (a
    // throttled or timed-out call, a Ctrl-C after the switch), so it answers as done instead of failing the retry; or
    // one cut short after its switch (a rule threw in its top-up), whose top-up this finishes (promote.ts).
    if ((await this.deps.store.liveGeneration(name)) === generation) {
      if (!(await promotionCutShort(this.deps, name, generation))) return { projection: name, generation, previous: generation, toppedUp: 0 };
      return this.holdingLease(name, options, (replay, sleep) => finishPromotion(this.deps, { projection, replay, sleep }));
    }
    const checkpoint = await this.promotable(name, generation);
    return this.holdingLease(name, options, (replay, sleep) => promoteVerified(this.deps, { projection, generation, checkpoint, verifications, replay, rules: this.rules(projection), sleep }));
  }

  /** Runs a promotion's `step` under the projection's rebuild lease, with the replay options its top-ups read with and the lease's sleep. */
  private async holdingLease<T>(name: string, options: RebuildOptions, step: (replay: PromoteInput['replay'], sleep: (ms: number) => Promise<void>) => Promise<T>): Promise<T> {
    const lease = await takeRebuildLease(this.deps, name);
    try {
      const reader = rehydratingReader(this.deps, rehydrateOptions(options), { archive: this.deps.archive, sleep: (ms) => lease.sleep(ms) });
      return await step({ reader, onBatch: () => lease.renewIfDue(), ...(options.batchSize ? { batchSize: options.batchSize } : {}) }, (ms) => lease.sleep(ms));
    } finally {
      await lease.release();
    }
  }

  /**
   * The checkpoint of a generation that verifications could make live (promotable.ts): a finished rebuild, a retired
   * generation (a rollback), the first generation retired. Throws `InvalidArgumentError` for the live one, one that
   * does not exist, one no rebuild wrote, an unfinished rebuild, an --until view or one rebuilt under another projection
   * version, and `GenerationRulesChangedError` for one built with other rules than the running code's. Check before verifying.
   */
  promotable(name: string, generation: number): Promise<RebuildCheckpoint> {
    const projection = this.projection(name);
    return promotableCheckpoint(this.deps, projection, generation, this.rules(projection));
  }

  /** The fingerprint of the rules the projection folds with in this process (what a rebuild records). */
  rules(projection: Projection): RulesFingerprint {
    return rulesFingerprint(projection, upcastersOf(this.deps.registry));
  }
}
