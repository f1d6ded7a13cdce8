// Alarms an operator needs: anything in a dead-letter queue, anything that could not even be put there, any function
// error, and a conflicting copy of an event the indexer refused to publish.

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IAlarmAction, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../adapters/aws/lambda/observability.ts';

function withActions(alarm: Alarm, actions: readonly IAlarmAction[]): Alarm {
  if (actions.length > 0) alarm.addAlarmAction(...actions);
  return alarm;
}

/** Fires while the DLQ holds any message: each one is an event a projection or the index has not got. */
export function deadLetterAlarm(scope: Construct, id: string, queue: IQueue, what: string, actions: readonly IAlarmAction[]): Alarm {
  return withActions(new Alarm(scope, id, {
    alarmDescription: `eventlake: events of ${what} are in its dead-letter queue; fix the cause, then redrive them`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  }), actions);
}

/** Fires on any invocation error of the function within five minutes (retries may still succeed). */
export function errorAlarm(scope: Construct, id: string, fn: IFunction, actions: readonly IAlarmAction[]): Alarm {
  return withActions(new Alarm(scope, id, {
    alarmDescription: `eventlake: ${fn.functionName} failed; see its log group`,
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  }), actions);
}

/** Fires on any count of `metric` (a Sum over five minutes): an event that failed and could not be dead-lettered is gone. */
function lostEventAlarm(scope: Construct, id: string, metric: IMetric, description: string, actions: readonly IAlarmAction[]): Alarm {
  return withActions(new Alarm(scope, id, {
    alarmDescription: description, metric, threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  }), actions);
}

/**
 * Fires when Lambda could not send a failed asynchronous event to the function's DLQ (permissions, the queue's key,
 * a deleted queue): the queue-depth alarm never sees that event.
 */
export function deadLetterErrorAlarm(scope: Construct, id: string, fn: IFunction, actions: readonly IAlarmAction[]): Alarm {
  const metric = fn.metric('DeadLetterErrors', { period: Duration.minutes(5), statistic: 'Sum' });
  return lostEventAlarm(scope, id, metric, `eventlake: ${fn.functionName} could not put a failed event into its dead-letter queue; the event was dropped`, actions);
}

/** A rule as its CloudWatch metrics name it. */
export interface RuleMetricName {
  /** The rule's own name. Not `rule.ruleName` of a rule on a custom bus: that is its Ref, which is `<bus>|<rule>` there. */
  readonly ruleName: string;
  /** The custom bus the rule is on; undefined for the default bus. */
  readonly busName?: string;
}

/**
 * Fires when EventBridge could not send an undeliverable event to the rule target's DLQ. Metrics of a rule on a
 * custom bus carry the bus name as a dimension too (EventBridge User Guide, "Monitoring Amazon EventBridge").
 */
export function ruleDeadLetterErrorAlarm(scope: Construct, id: string, rule: RuleMetricName, actions: readonly IAlarmAction[]): Alarm {
  const metric = new Metric({
    namespace: 'AWS/Events', metricName: 'InvocationsFailedToBeSentToDlq', period: Duration.minutes(5), statistic: 'Sum',
    dimensionsMap: { ...(rule.busName ? { EventBusName: rule.busName } : {}), RuleName: rule.ruleName },
  });
  return lostEventAlarm(scope, id, metric, `eventlake: rule ${rule.ruleName} could not put an undeliverable event into its dead-letter queue; the event was dropped`, actions);
}

/**
 * Fires when the indexer found one identity stored at two keys with different content (ConflictingCopies, its EMF
 * metric under `service`): that copy was not published, but someone must decide which one the lake keeps.
 */
export function conflictingCopiesAlarm(scope: Construct, namespace: string, service: string, actions: readonly IAlarmAction[]): Alarm {
  const metric = new Metric({ namespace, metricName: METRIC.conflictingCopies, dimensionsMap: { service }, period: Duration.minutes(5), statistic: 'Sum' });
  return lostEventAlarm(scope, 'ConflictingCopiesAlarm-Indexer', metric,
    'eventlake: the indexer found an event identity stored at two keys with different content and did not publish the second; its log line names both keys (run check --target aws)', actions);
}
