// The stack's alarm on the indexer's ConflictingCopies metric: a conflicting copy is not published, so only an alarm
// makes an operator decide which content of the identity the lake keeps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { METRIC } from '../../../adapters/aws/lambda/observability.ts';
import { EventLakeStack } from '../../../infra/event-lake-stack.ts';
import '../../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

type Resource = { Type: string; Properties: Record<string, any> };

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'acme' } });
const resources = Object.values((Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources);

test('an alarm fires on any conflicting copy the indexer counted, in its namespace and service dimension', () => {
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === METRIC.conflictingCopies);
  assert.is(alarms.length, 1);
  const p = alarms[0]!.Properties;
  assert.equal([p.Namespace, p.Dimensions], ['acme', [{ Name: 'service', Value: 'eventlake-indexer' }]]);
  assert.equal([p.Statistic, p.Threshold, p.ComparisonOperator, p.TreatMissingData], ['Sum', 0, 'GreaterThanThreshold', 'notBreaching']);
});

test.run();
