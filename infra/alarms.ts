// Alarms an operator needs: anything in a dead-letter queue, any function error.

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

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
