// Scheduled compaction on AWS: the compaction function, the daily rule that invokes it, its grants and its error alarm.
//
// Why the lake needs it: the bucket's lifecycle rules archive by object age and never transition objects under 128 KB
// (S3's default minimum since September 2024), while the log writes ~1 KB one-event objects. Only compacted hour
// segments are large enough to reach GLACIER / DEEP_ARCHIVE, and their age counts from when they are written.

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { FIRST_YEAR } from '../adapters/aws/glue-table.ts';
import { LAMBDA_ENV } from '../adapters/aws/lambda/config.ts';
import { COMPACTION_METRIC } from '../adapters/aws/lambda/create-compaction.ts';
import { COMPACTION_DEFAULTS } from '../projections/compaction-schedule.ts';
import { errorAlarm } from './alarms.ts';
import { lakeFunction, type LakeFunctionDefaults } from './functions.ts';
import { grantCompaction, type LakeResources } from './permissions.ts';
import type { CompactionProps } from './props.ts';

/** When the rule invokes the function: daily at 02:15 UTC (schedule expressions are in UTC). */
export const COMPACTION_SCHEDULE = Schedule.cron({ minute: '15', hour: '2' });

/** The function's Powertools service name: the `service` dimension of its metrics. */
const SERVICE_NAME = 'eventlake-compaction';

/** The function's physical name. */
export const compactionFunctionName = (prefix: string) => `${prefix}-compaction`;

/** Start of January 1 of `year`, epoch seconds: where the first run starts walking hours. */
export function firstHourOf(year: number): number {
  return Date.UTC(year, 0, 1) / 1000;
}

export interface LakeCompactionProps {
  readonly resources: LakeResources;
  readonly defaults: LakeFunctionDefaults;
  /** First year of the log (the Glue projection's `firstYear`): no event is older, so the walk starts there. */
  readonly firstYear?: number;
  readonly sizes?: CompactionProps;
}

/** The variables of the sizes given (none by default, so the function's own defaults hold). */
function sizeEnvironment(sizes: CompactionProps): Record<string, string> {
  const names = { concurrency: LAMBDA_ENV.compactionConcurrency, maxSegmentEvents: LAMBDA_ENV.maxSegmentEvents, maxSegmentBytes: LAMBDA_ENV.maxSegmentBytes } as const;
  return Object.fromEntries(Object.entries(names).flatMap(([key, name]) => {
    const value = sizes[key as keyof typeof names];
    return value === undefined ? [] : [[name, String(value)]];
  }));
}

/**
 * The compaction function and its daily schedule. A run walks hours from the checkpoint in the control table
 * (compactDueHours) and stops three minutes before the 15-minute timeout; the next run resumes there.
 *
 * @example
 * const fn = lakeCompaction(this, { resources, defaults, firstYear: 2024 });
 */
export function lakeCompaction(scope: Construct, props: LakeCompactionProps): NodejsFunction {
  const r = props.resources;
  const fn = lakeFunction(scope, 'Compaction', {
    entry: 'compaction', functionName: compactionFunctionName(r.prefix), serviceName: SERVICE_NAME,
    description: 'eventlake: daily compaction of hour partitions into segments (which the lifecycle rules archive)',
    environment: {
      [LAMBDA_ENV.bucket]: r.bucket.bucketName, [LAMBDA_ENV.indexTable]: r.index.tableName, [LAMBDA_ENV.controlTable]: r.control.tableName,
      [LAMBDA_ENV.compactionFirstHour]: String(firstHourOf(props.firstYear ?? FIRST_YEAR)),
      [LAMBDA_ENV.compactAfterHours]: String(COMPACTION_DEFAULTS.afterHours),
      [LAMBDA_ENV.compactionLookbackHours]: String(COMPACTION_DEFAULTS.lookbackHours),
      ...sizeEnvironment(props.sizes ?? {}),
    },
    // Each hour compacted at once holds its index entries and one segment's events.
    memorySize: props.sizes?.memorySize ?? 1024, timeout: Duration.minutes(15),
    // One run at a time: two runs of one hour could each write a segment of the same events, stored twice for good
    // (an operator's `aws lambda invoke` beside the schedule). A second invocation is throttled and retried later.
    reservedConcurrentExecutions: 1,
  }, props.defaults);
  grantCompaction(fn, r);
  // No dead-letter queue: a failed run loses no event (the checkpoint did not move), the next day's run redoes it,
  // and the error alarm says it failed.
  new Rule(scope, 'CompactionSchedule', {
    description: 'eventlake: daily compaction run', schedule: COMPACTION_SCHEDULE, targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
  });
  errorAlarm(scope, 'ErrorAlarm-Compaction', fn);
  backlogAlarm(scope, props.defaults.metricsNamespace);
  return fn;
}

/**
 * Fires when every run of two days in a row stopped with due hours left. A run that reaches its deadline succeeds
 * (no error alarm) and the next comes a day later, so a lake whose day of hours takes longer than one run would fall
 * further behind each day with only a warning in the log, and its events would reach Glacier ever later.
 */
function backlogAlarm(scope: Construct, namespace: string): Alarm {
  return new Alarm(scope, 'BacklogAlarm-Compaction', {
    alarmDescription: 'eventlake: compaction ended two days running with due hours left; invoke the function again to catch up (it resumes from its checkpoint) and see its warnings for how far behind it is',
    metric: new Metric({ namespace, metricName: COMPACTION_METRIC.hoursBehind, dimensionsMap: { service: SERVICE_NAME }, period: Duration.days(1), statistic: 'Minimum' }),
    threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 2, datapointsToAlarm: 2,
    // No data: the function did not run or failed before reporting, which the error alarm covers.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
