// The compaction function's logic: a scheduled run of compactDueHours within the invocation's time, logged and counted.
// Reserved concurrency 1 keeps its own invocations apart; the archive lease (in the control table) keeps it apart from
// anything else that compacts the bucket: `eventlake archive run --target aws`, an operator's invoke.
//
// On AWS the bucket's lifecycle rules archive, and only objects of 128 KB or more (or, with small-object archiving,
// larger than any one-event object) transition: without this function's segments nothing would ever reach Glacier.

import type { Context } from 'aws-lambda';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { CheckpointStore } from '../../../domain/ports/checkpoint-store.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { compactDueHours, type ScheduledCompactionReport } from '../../../projections/compaction-schedule.ts';
import type { LeaseClock } from '../../../projections/lease.ts';
import { LAMBDA_ENV, optionalIntEnv, requireEnv } from './config.ts';
import type { LambdaLogger, LambdaMetrics } from './observability.ts';

/** Metric names of the compaction function (EMF). */
export const COMPACTION_METRIC = {
  compacted: 'EventsCompacted',
  hoursBehind: 'CompactionHoursBehind',
} as const;

/** Left before the Lambda timeout when no new batch of hours starts: a batch of busy hours takes a while. */
export const COMPACTION_MARGIN_MS = 180_000;

/** Where the walk starts and how it goes (LAMBDA_ENV compaction* variables; the stack sets them). */
export interface CompactionSettings {
  /** Start of the first hour to compact when no checkpoint exists, epoch seconds. */
  readonly firstHour: number;
  readonly afterHours?: number;
  readonly lookbackHours?: number;
  /** Hours compacted at once (default COMPACTION_DEFAULTS.concurrency); each holds its index entries and one chunk. */
  readonly concurrency?: number;
  /** Segment size limits, i.e. each hour's chunk (defaults SEGMENT_LIMITS, sized for 8 hours at once in 1 GB). */
  readonly maxSegmentEvents?: number;
  readonly maxSegmentBytes?: number;
}

export interface CompactionHandlerDeps {
  readonly log: EventLog;
  readonly index: EventIndex;
  /** The walk's checkpoint and the archive lease. */
  readonly checkpoints: CheckpointStore;
  readonly settings: CompactionSettings;
  readonly logger: LambdaLogger;
  readonly metrics: LambdaMetrics;
  /** Epoch ms (default Date.now). */
  readonly clock?: () => number;
  /** The archive lease's clock, TTL and end (defaults: `clock`, DEFAULT_ARCHIVE_LEASE_MS, the invocation's timeout). */
  readonly lease?: LeaseClock;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The settings from the function's environment; throws `InvalidArgumentError` naming a missing or bad variable. */
export function compactionSettingsFromEnv(env: Env = process.env): CompactionSettings {
  const name = LAMBDA_ENV.compactionFirstHour;
  const firstHour = Number(requireEnv(name, env));
  if (!Number.isInteger(firstHour) || firstHour < 0 || firstHour % 3600 !== 0) {
    throw new InvalidArgumentError(name, `must be the start of an hour in epoch seconds (the stack sets January 1 of firstYear), got "${env[name]}"`);
  }
  const optional = {
    afterHours: optionalIntEnv(LAMBDA_ENV.compactAfterHours, env), lookbackHours: optionalIntEnv(LAMBDA_ENV.compactionLookbackHours, env),
    concurrency: optionalIntEnv(LAMBDA_ENV.compactionConcurrency, env),
    maxSegmentEvents: optionalIntEnv(LAMBDA_ENV.maxSegmentEvents, env), maxSegmentBytes: optionalIntEnv(LAMBDA_ENV.maxSegmentBytes, env),
  };
  return { firstHour, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}

/**
 * The compaction handler (an EventBridge schedule invokes it; its payload is ignored). It stops starting hours
 * COMPACTION_MARGIN_MS before the timeout; the next run resumes from the checkpoint, and a run that still had hours
 * left logs a warning with how many. While another archive run holds the archive lease, it compacts nothing and returns
 * the report with `skipped` (logged as such): a result, not an error, so the invocation is not retried; the next
 * scheduled run resumes from the checkpoint.
 *
 * @example
 * export const handler = createCompaction({ log, index, checkpoints, settings: compactionSettingsFromEnv(), logger, metrics });
 */
export function createCompaction(deps: CompactionHandlerDeps): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<ScheduledCompactionReport> {
  const clock = deps.clock ?? Date.now;
  return async (_event, context) => {
    const now = clock();
    const timeout = context ? now + context.getRemainingTimeInMillis() : undefined;
    const deadline = timeout !== undefined ? timeout - COMPACTION_MARGIN_MS : undefined;
    // The lease ends with the invocation: one the timeout kills leaves none behind for its own retry to skip on.
    const lease = { now: clock, ...(timeout !== undefined ? { notAfter: timeout } : {}), ...deps.lease };
    const report = await compactDueHours({ ...deps, lease }, { now, clock, ...deps.settings, ...(deadline !== undefined ? { deadline } : {}) });
    deps.metrics.addMetric(COMPACTION_METRIC.compacted, 'Count', report.eventsCompacted);
    deps.metrics.addMetric(COMPACTION_METRIC.hoursBehind, 'Count', report.hoursBehind);
    const summary = { ...report, next: new Date(report.next * 1000).toISOString() };
    if (report.skipped) deps.logger.info(`compaction skipped: another archive run holds the lease until ${report.skipped.leaseExpiresAt}; the next run resumes`, summary);
    else if (report.hoursBehind > 0) deps.logger.warn('compaction stopped before the timeout with hours left; the next run resumes', summary);
    else deps.logger.info('compaction caught up', summary);
    return report;
  };
}
