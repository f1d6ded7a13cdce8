// The compaction function's backlog alarm: a run stops three minutes before its timeout and logs a warning, but only
// an alarm makes an operator look when day after day runs end with due hours left (busy hours, a long first walk).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { COMPACTION_METRIC } from '../../adapters/aws/lambda/create-compaction.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

type Resource = { Type: string; Properties: Record<string, any> };

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'acme' } });
const resources = Object.values((Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources);

test('an alarm fires when two daily compaction runs in a row ended with due hours left', () => {
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === COMPACTION_METRIC.hoursBehind);
  assert.is(alarms.length, 1);
  const p = alarms[0]!.Properties;
  // The function's EMF metrics: the stack's namespace, the service dimension Powertools adds.
  assert.equal([p.Namespace, p.Dimensions], ['acme', [{ Name: 'service', Value: 'eventlake-compaction' }]]);
  assert.equal([p.Statistic, p.Period, p.Threshold, p.ComparisonOperator], ['Minimum', 86_400, 0, 'GreaterThanThreshold']);
  assert.equal([p.EvaluationPeriods, p.DatapointsToAlarm], [2, 2]);
});

test.run();
