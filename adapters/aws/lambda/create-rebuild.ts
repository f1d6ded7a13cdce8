// The rebuild entry's logic: validate {projection, from, until, dryRun} and hand it to the rebuild coordinator.

import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
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

export interface RebuildHandlerDeps {
  /** Runs the coordinator (plan, or plan → rebuild → verify → promote) and returns its report. */
  readonly rebuild: (request: RebuildRequest) => Promise<unknown>;
  readonly logger: LambdaLogger;
}

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
export function createRebuildHandler(deps: RebuildHandlerDeps): (payload: unknown) => Promise<unknown> {
  return async (payload) => {
    const request = parseRebuildRequest(payload);
    deps.logger.info('rebuild requested', { ...request });
    const report = await deps.rebuild(request);
    deps.logger.info('rebuild finished', { projection: request.projection, dryRun: request.dryRun });
    return jsonSafe(report);
  };
}

/**
 * `rebuild` for a coordinator: a dry run returns the plan; otherwise plan → rebuild → verify against the log →
 * promote (which refuses a generation that differs). A rebuild cut short by the Lambda timeout resumes from its
 * checkpoint on the next invocation with the same request.
 */
export function coordinatorRebuild(coordinator: Pick<RebuildCoordinator, 'plan' | 'rebuild' | 'verify' | 'promote'>): (request: RebuildRequest) => Promise<unknown> {
  return async (r) => {
    const plan = await coordinator.plan({ projection: r.projection, from: r.from, ...(r.until !== undefined ? { until: r.until } : {}) });
    if (r.dryRun) return { plan };
    const built = await coordinator.rebuild(plan);
    const verification = await coordinator.verify(r.projection, built.generation, 'log');
    const promoted = await coordinator.promote(r.projection, built.generation, [verification]);
    return { plan, built, verification, promoted };
  };
}
