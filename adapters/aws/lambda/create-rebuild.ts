// The rebuild entry's logic: validate {projection, from, until, dryRun} and hand it to the rebuild coordinator.

import type { Context } from 'aws-lambda';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import type { RebuildCoordinator, RebuildReport } from '../../../projections/rebuild/coordinator.ts';
import type { LambdaLogger } from './observability.ts';
import { jsonSafe } from './observability.ts';

/** A rebuild as the CLI asks for it; `from` and `until` in epoch ms, like the coordinator's plan request. */
export interface RebuildRequest {
  readonly projection: string;
  /** Wall clock to start from (0: an empty projection). */
  readonly from: number;
  /** Replay only events with EventTimeStamp before it. */
  readonly until?: number;
  /** Plan only: report what would be restored and replayed, write nothing. */
  readonly dryRun: boolean;
}

/** What the invocation tells the rebuild about itself. */
export interface InvocationBudget {
  /** Milliseconds left before Lambda stops the invocation (its context's getRemainingTimeInMillis). */
  readonly remainingMs?: () => number;
}

export interface RebuildHandlerDeps {
  /** Runs the coordinator (plan, or plan → rebuild → verify → promote) and returns its report. */
  readonly rebuild: (request: RebuildRequest, budget: InvocationBudget) => Promise<unknown>;
  readonly logger: LambdaLogger;
}

/** Left for verifying and answering when a restore wait gives up before the Lambda timeout. */
export const RESTORE_MARGIN_MS = 120_000;
/** How long to wait for archive restores when the remaining time is unknown (no Lambda context). */
export const DEFAULT_RESTORE_WAIT_MS = 600_000;

/** Epoch ms from a number (epoch ms) or an ISO-8601 string. */
function instant(name: string, value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(name, `expected epoch milliseconds or an ISO-8601 time, got ${JSON.stringify(value)}`);
  return ms;
}

/** The request in a Lambda payload, checked; throws `InvalidArgumentError` naming the bad field. */
export function parseRebuildRequest(payload: unknown): RebuildRequest {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (typeof p.projection !== 'string' || p.projection === '') throw new InvalidArgumentError('projection', 'a projection name is required');
  if (p.dryRun !== undefined && typeof p.dryRun !== 'boolean') throw new InvalidArgumentError('dryRun', 'must be true or false');
  const from = p.from === undefined ? 0 : instant('from', p.from);
  const until = p.until === undefined ? undefined : instant('until', p.until);
  if (until !== undefined && until <= from) throw new InvalidArgumentError('until', 'must be later than from');
  return { projection: p.projection, from, ...(until !== undefined ? { until } : {}), dryRun: p.dryRun === true };
}

/**
 * The rebuild handler: thin on purpose, the coordinator does the work. Returns the report as JSON-safe data.
 *
 * @example
 * export const handler = createRebuildHandler({ rebuild: (r) => runRebuild(coordinator, r), logger });
 */
export function createRebuildHandler(deps: RebuildHandlerDeps): (payload: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<unknown> {
  return async (payload, context) => {
    const request = parseRebuildRequest(payload);
    deps.logger.info('rebuild requested', { ...request });
    const report = await deps.rebuild(request, context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {});
    deps.logger.info('rebuild finished', { projection: request.projection, dryRun: request.dryRun, status: (report as { status?: unknown } | null)?.status });
    return jsonSafe(report);
  };
}

/**
 * True for rehydrate's "still restoring" TransientError (projections/rebuild/rehydrate.ts): archived objects are being
 * restored, which takes hours, as opposed to a throttled or failing service.
 */
function isStillRestoring(error: unknown): error is TransientError {
  return error instanceof TransientError && /still restoring/.test(error.message);
}

/**
 * The `restoring` answer: the next invocation with the same request resumes (restores already running are not asked
 * again). With `built`, the verification's restores: its generation is kept for that invocation to verify.
 */
function restoring(plan: unknown, error: TransientError, built?: RebuildReport): unknown {
  const phase = built ? `verifying generation ${built.generation} against the log: ` : '';
  return { status: 'restoring', plan, ...(built ? { built } : {}), message: `${phase}${error.message} (invoke again with the same request)` };
}

/**
 * `rebuild` for a coordinator: a dry run returns the plan (`status: 'planned'`); otherwise plan → rebuild → verify
 * against the log → promote, which refuses a generation that differs (`'promoted'`). With `until` the generation
 * holds the past up to that time, which the coordinator never promotes: it is built and verified (`'built'`).
 * Archive restores, the replay's and the verification's (from a snapshot it reads the archived log before it), are
 * waited for only until shortly before the Lambda timeout; then the answer is `status: 'restoring'`, the lease is
 * free, and the next invocation with the same request resumes from the checkpoint (or takes over the finished
 * generation and verifies it again, without replaying), as does one the timeout cut short. What was restored is in
 * the answer apart: the replay's in `built.rehydrated`, the verification's in `verification.rehydrated`, each counting
 * the restores of every invocation of the request, those that answered `restoring` included.
 */
export function coordinatorRebuild(coordinator: Pick<RebuildCoordinator, 'plan' | 'rebuild' | 'verify' | 'promote'>): (request: RebuildRequest, budget?: InvocationBudget) => Promise<unknown> {
  return async (r, budget = {}) => {
    const plan = await coordinator.plan({ projection: r.projection, from: r.from, ...(r.until !== undefined ? { until: r.until } : {}) });
    if (r.dryRun) return { status: 'planned', plan };
    // Read again before each phase: the replay spends part of the invocation, the verification gets what is left.
    const poll = () => ({ timeoutMs: Math.max(0, budget.remainingMs ? budget.remainingMs() - RESTORE_MARGIN_MS : DEFAULT_RESTORE_WAIT_MS) });
    let built: RebuildReport;
    try {
      // An invocation the timeout cut short after its replay left a finished generation: go on from it.
      built = await coordinator.rebuild(plan, { poll: poll(), resumeFinished: true });
    } catch (error) {
      if (!isStillRestoring(error)) throw error;
      return restoring(plan, error);
    }
    let verification: Awaited<ReturnType<RebuildCoordinator['verify']>>;
    try {
      verification = await coordinator.verify(r.projection, built.generation, 'log', { poll: poll() });
    } catch (error) {
      if (!isStillRestoring(error)) throw error;
      return restoring(plan, error, built);
    }
    if (r.until !== undefined) return { status: 'built', plan, built, verification };
    const promoted = await coordinator.promote(r.projection, built.generation, [verification]);
    return { status: 'promoted', plan, built, verification, promoted };
  };
}
