// Alarms an operator needs: anything in a dead-letter queue, anything that could not even be put there, any function
// error, and a conflicting copy of an event the indexer refused to publish.

import { Annotations, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IAlarmAction, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../adapters/aws/lambda/observability.ts';

/** The projectors' Powertools service name: their metrics' `service` dimension. */
export const PROJECTOR_SERVICE = 'eventlake-projector';

/** Who hears of the lake's alarms: EventLakeProps.alarmActions and alarmTopicArn. */
export interface AlarmNotifications {
  readonly alarmActions?: readonly IAlarmAction[];
  /** An SNS topic told when an alarm fires and when it clears (OK). */
  readonly alarmTopicArn?: string;
}

/**
 * Give every alarm under `scope` the actions of `n` (the topic on ALARM and OK, other actions on ALARM), so none is
 * left out; with none at all, a synth warning says the alarms notify nobody. Call it after the last alarm is made.
 */
export function notifyOnAlarms(scope: Construct, n: AlarmNotifications): void {
  const topic = n.alarmTopicArn === undefined ? undefined : new SnsAction(Topic.fromTopicArn(scope, 'AlarmTopic', n.alarmTopicArn));
  const actions = [...(n.alarmActions ?? []), ...(topic ? [topic] : [])];
  if (actions.length === 0) {
    Annotations.of(scope).addWarning('eventlake: the alarms have no actions, so they notify nobody: set the context key eventlake:alarmTopicArn ' +
      '(cdk deploy -c eventlake:alarmTopicArn=arn:aws:sns:<region>:<account>:<topic>) or the alarmTopicArn / alarmActions prop');
    return;
  }
  for (const alarm of scope.node.findAll().filter((c): c is Alarm => c instanceof Alarm)) {
    alarm.addAlarmAction(...actions);
    if (topic) alarm.addOkAction(topic);
  }
}

/** Fires while the DLQ holds any message: each one is an event a projection or the index has not got. */
export function deadLetterAlarm(scope: Construct, id: string, queue: IQueue, what: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `eventlake: events of ${what} are in its dead-letter queue; fix the cause, then redrive them`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** Fires on any invocation error of the function within five minutes (retries may still succeed). */
export function errorAlarm(scope: Construct, id: string, fn: IFunction): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `eventlake: ${fn.functionName} failed; see its log group`,
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** Fires on any count of `metric` (a Sum over five minutes): an event that failed and could not be dead-lettered is gone. */
function lostEventAlarm(scope: Construct, id: string, metric: IMetric, description: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description, metric, threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Fires when Lambda could not send a failed asynchronous event to the function's DLQ (permissions, the queue's key,
 * a deleted queue): the queue-depth alarm never sees that event.
 */
export function deadLetterErrorAlarm(scope: Construct, id: string, fn: IFunction): Alarm {
  const metric = fn.metric('DeadLetterErrors', { period: Duration.minutes(5), statistic: 'Sum' });
  return lostEventAlarm(scope, id, metric, `eventlake: ${fn.functionName} could not put a failed event into its dead-letter queue; the event was dropped`);
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
export function ruleDeadLetterErrorAlarm(scope: Construct, id: string, rule: RuleMetricName): Alarm {
  const metric = new Metric({
    namespace: 'AWS/Events', metricName: 'InvocationsFailedToBeSentToDlq', period: Duration.minutes(5), statistic: 'Sum',
    dimensionsMap: { ...(rule.busName ? { EventBusName: rule.busName } : {}), RuleName: rule.ruleName },
  });
  return lostEventAlarm(scope, id, metric, `eventlake: rule ${rule.ruleName} could not put an undeliverable event into its dead-letter queue; the event was dropped`);
}

/** What the lake's alarms watch: every dead-letter queue, function and routed rule. */
export interface LakeAlarmTargets {
  readonly deadLetterQueues: ReadonlyMap<string, IQueue>;
  /** Functions with a dead-letter queue (the indexer and the projectors). */
  readonly dispatched: readonly IFunction[];
  /** Every function whose errors matter beyond those (the rebuild). */
  readonly others: readonly IFunction[];
  readonly rules: ReadonlyArray<RuleMetricName & { readonly id: string }>;
  /** The indexer's metric namespace and service, for its conflicting-copies alarm. */
  readonly namespace: string;
  readonly indexerService: string;
  /** The projections, for each projector's events-not-in-log alarm. */
  readonly projections: readonly string[];
}

/** Every alarm of the lake (compaction's are its own), then their notifications (notifyOnAlarms). */
export function lakeAlarms(scope: Construct, t: LakeAlarmTargets, n: AlarmNotifications): void {
  for (const [name, queue] of t.deadLetterQueues) deadLetterAlarm(scope, `DeadLetterAlarm-${name}`, queue, name);
  for (const fn of t.dispatched) deadLetterErrorAlarm(scope, `DeadLetterErrorAlarm-${fn.node.id}`, fn);
  for (const rule of t.rules) ruleDeadLetterErrorAlarm(scope, `RuleDeadLetterErrorAlarm-${rule.id}`, rule);
  for (const fn of [...t.dispatched, ...t.others]) errorAlarm(scope, `ErrorAlarm-${fn.node.id}`, fn);
  conflictingCopiesAlarm(scope, t.namespace, t.indexerService);
  for (const p of t.projections) eventsNotInLogAlarm(scope, t.namespace, p);
  notifyOnAlarms(scope, n);
}

/**
 * Fires when the indexer found one identity stored at two keys with different content (ConflictingCopies, its EMF
 * metric under `service`): that copy was not published, but someone must decide which one the lake keeps.
 */
export function conflictingCopiesAlarm(scope: Construct, namespace: string, service: string): Alarm {
  const metric = new Metric({ namespace, metricName: METRIC.conflictingCopies, dimensionsMap: { service }, period: Duration.minutes(5), statistic: 'Sum' });
  return lostEventAlarm(scope, 'ConflictingCopiesAlarm-Indexer', metric,
    'eventlake: the indexer found an event identity stored at two keys with different content and did not publish the second; its log line names both keys (run check --target aws)');
}

/**
 * Fires when a projector refused a bus event the log does not hold (EventsNotInLog, its EMF metric): someone allowed
 * events:PutEvents on the lake's bus sent a forged or altered event; nothing was applied, but the sender must be found.
 */
export function eventsNotInLogAlarm(scope: Construct, namespace: string, projection: string): Alarm {
  const metric = new Metric({
    namespace, metricName: METRIC.notInLog, dimensionsMap: { service: PROJECTOR_SERVICE, projection }, period: Duration.minutes(5), statistic: 'Sum',
  });
  return lostEventAlarm(scope, `EventsNotInLogAlarm-${projection}`, metric,
    `eventlake: the ${projection} projector refused a bus event the log does not hold (a forged or altered PutEvents on the lake bus); its log line names the bus event id and the sender account`);
}
