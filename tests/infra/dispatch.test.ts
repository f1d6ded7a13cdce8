// Dispatch on AWS: the bus and its archive, one rule per projection with retries and a DLQ, S3 → indexer, alarms.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { NAME_PATTERNS } from '../../adapters/aws/names.ts';
import { SQS_DEAD_LETTER_HELP } from '../../adapters/aws/sqs-dead-letters.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkRules, defaultDispatchRules, toCdkPattern } from '../../infra/dispatch.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import type { EventLakeProps } from '../../infra/props.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const code = Code.fromInline('export const handler = async () => {};');
const build = (lake: EventLakeProps = {}) => new EventLakeStack(new App(), 'Test', { lake: { code, ...lake } });
const stack = build();
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const fnId = (name: string) => id(name === 'indexer' ? stack.lake.indexer : stack.lake.projectors.get(name)!);
const dlqId = (name: string) => id(stack.lake.deadLetterQueues.get(name)!);
const rules = () => Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties);

const test = suite('EventLake dispatch');

test('the custom bus is named after the prefix and archived for 365 days', () => {
  template.hasResourceProperties('AWS::Events::EventBus', { Name: 'eventlake' });
  template.hasResourceProperties('AWS::Events::Archive', {
    SourceArn: { 'Fn::GetAtt': [id(stack.lake.bus), 'Arn'] }, RetentionDays: 365, EventPattern: { source: ['eventlake'] },
  });
});

test('each projection has one rule on the bus, pattern { source: [eventlake] }, targeting its projector', () => {
  for (const p of ['balances', 'statement']) {
    const rule = rules().find((r) => r.Name === `eventlake-${p}-projector`);
    assert.ok(rule, p);
    assert.equal(rule!.EventBusName, { Ref: id(stack.lake.bus) });
    assert.equal(rule!.EventPattern, { source: ['eventlake'] });
    assert.equal(rule!.Targets[0].Arn, { 'Fn::GetAtt': [fnId(p), 'Arn'] });
  }
});

test('every rule target retries 10 times within 24 hours, then sends the event to its own DLQ', () => {
  for (const [name, rule] of [['balances', 'eventlake-balances-projector'], ['statement', 'eventlake-statement-projector']]) {
    const target = rules().find((r) => r.Name === rule)!.Targets[0];
    assert.equal(target.RetryPolicy, { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 });
    assert.equal(target.DeadLetterConfig, { Arn: { 'Fn::GetAtt': [dlqId(name!), 'Arn'] } });
  }
});

test('S3 "Object Created" events of the log\'s one-event objects go from the default bus to the indexer', () => {
  const rule = rules().find((r) => r.EventPattern['detail-type']?.[0] === 'Object Created');
  assert.ok(rule);
  assert.is(rule!.EventBusName, undefined);
  assert.equal(rule!.EventPattern, {
    'source': ['aws.s3'], 'detail-type': ['Object Created'],
    'detail': { bucket: { name: [{ Ref: id(stack.lake.bucket) }] }, object: { key: [{ wildcard: 'events/*.event' }] } },
  });
  assert.equal(rule!.Targets[0].Arn, { 'Fn::GetAtt': [fnId('indexer'), 'Arn'] });
  assert.equal(rule!.Targets[0].DeadLetterConfig, { Arn: { 'Fn::GetAtt': [dlqId('indexer'), 'Arn'] } });
});

test('S3 storage-class changes and restores of log objects (initiated, completed, expired) go to the indexer, which records them in the index', () => {
  // Lifecycle rules archive objects without a request of ours: the index learns of it only from these events.
  const rule = rules().find((r) => r.EventPattern['detail-type']?.includes('Object Storage Class Changed'));
  assert.ok(rule, 'no rule for S3 storage-class changes');
  assert.is(rule!.EventBusName, undefined);
  assert.equal(rule!.EventPattern, {
    'source': ['aws.s3'], 'detail-type': ['Object Storage Class Changed', 'Object Restore Initiated', 'Object Restore Completed', 'Object Restore Expired'],
    'detail': { bucket: { name: [{ Ref: id(stack.lake.bucket) }] }, object: { key: [{ prefix: 'events/' }] } },
  });
  assert.equal(rule!.Targets[0].Arn, { 'Fn::GetAtt': [fnId('indexer'), 'Arn'] });
  assert.equal(rule!.Targets[0].DeadLetterConfig, { Arn: { 'Fn::GetAtt': [dlqId('indexer'), 'Arn'] } });
  assert.equal(rule!.Targets[0].RetryPolicy, { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 });
});

test('a failed asynchronous invocation goes to the function\'s DLQ after Lambda\'s two retries, as the bus event itself', () => {
  for (const name of ['indexer', 'balances', 'statement']) {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId(name) }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    // A function DLQ (the payload as the message body), not an on-failure destination (a wrapped record).
    assert.equal(template.toJSON().Resources[fnId(name)].Properties.DeadLetterConfig, { TargetArn: { 'Fn::GetAtt': [dlqId(name), 'Arn'] } }, name);
  }
  assert.equal(template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { DestinationConfig: {} } }), {});
});

test('dead-letter queues have names an operator can find: <prefix>-indexer-dlq, <prefix>-projector-<projection>-dlq', () => {
  assert.equal(['indexer', 'balances', 'statement'].map((n) => template.toJSON().Resources[dlqId(n)].Properties.QueueName),
    ['eventlake-indexer-dlq', 'eventlake-projector-balances-dlq', 'eventlake-projector-statement-dlq']);
});

test('the CLI\'s dead-letter help names the queues the stack creates, whatever the prefix', () => {
  const bank = build({ prefix: 'bank' });
  const queueName = (name: string) => Template.fromStack(bank).toJSON().Resources[bank.getLogicalId(bank.lake.deadLetterQueues.get(name)!.node.defaultChild as never)].Properties.QueueName;
  const fill = (pattern: string, projection = '') => pattern.replace('<prefix>', 'bank').replace('<projection>', projection);
  assert.is(queueName('indexer'), fill(NAME_PATTERNS.indexerDeadLetterQueue));
  assert.is(queueName('balances'), fill(NAME_PATTERNS.projectorDeadLetterQueue, 'balances'));
  assert.ok(SQS_DEAD_LETTER_HELP.includes(NAME_PATTERNS.indexerDeadLetterQueue) && SQS_DEAD_LETTER_HELP.includes(NAME_PATTERNS.projectorDeadLetterQueue));
});

test('dead-letter queues hide a received message for six times the consuming function\'s timeout, so Lambda accepts them as event sources', () => {
  for (const name of ['indexer', 'balances', 'statement']) {
    const fnTimeout = template.toJSON().Resources[fnId(name)].Properties.Timeout as number;
    assert.is(template.toJSON().Resources[dlqId(name)].Properties.VisibilityTimeout, 6 * fnTimeout, name);
  }
});

test('the CLI\'s redrive command turns on partial batch responses, so a record that fails again stays in the queue', () => {
  assert.match(SQS_DEAD_LETTER_HELP, /create-event-source-mapping [^`]*--function-response-types ReportBatchItemFailures/);
});

test('dead-letter queues are KMS-encrypted with the lake key, keep messages 14 days and refuse plain HTTP', () => {
  const keyArn = { 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] };
  for (const name of ['indexer', 'balances', 'statement']) {
    const queue = template.toJSON().Resources[dlqId(name)].Properties;
    assert.equal(queue.KmsMasterKeyId, keyArn, name);
    assert.is(queue.MessageRetentionPeriod, 1209600, name);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId(name) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  }
});

test('EventBridge may use the key to write dead letters, from this account and for the lake\'s own rules only', () => {
  const arn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:rule/${name}`]] });
  template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
    Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Condition: {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnEquals: { 'aws:SourceArn': ['eventlake-object-created', 'eventlake-storage-changed', 'eventlake/eventlake-balances-projector', 'eventlake/eventlake-statement-projector'].map(arn) },
    },
  })]) } });
});

test('the rules the key policy names are the lake\'s rules with a dead-letter queue, by their deployed names', () => {
  const named = rules().filter((r) => r.Targets[0].DeadLetterConfig).map((r) => (r.EventBusName ? `eventlake/${r.Name}` : r.Name)).sort();
  assert.equal(named, ['eventlake-object-created', 'eventlake-storage-changed', 'eventlake/eventlake-balances-projector', 'eventlake/eventlake-statement-projector']);
});

test('an alarm fires when any dead-letter queue holds a message', () => {
  for (const name of ['indexer', 'balances', 'statement']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(name), 'QueueName'] } }],
    });
  }
});

test('an alarm fires when Lambda could not put a failed event into a function\'s dead-letter queue', () => {
  // Permissions, the key, a deleted queue: the event is then gone, and the queue-depth alarm never sees it.
  for (const name of ['indexer', 'balances', 'statement']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeadLetterErrors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(name) } }],
    });
  }
});

test('an alarm fires when EventBridge could not put an undeliverable event into a rule\'s dead-letter queue', () => {
  // Rules that route events; the compaction schedule carries none (a missed run loses nothing, infra/compaction.ts).
  const ruleIds = Object.keys(template.findResources('AWS::Events::Rule')).filter((r) => template.toJSON().Resources[r].Properties.EventPattern);
  assert.is(ruleIds.length, 4);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'InvocationsFailedToBeSentToDlq' } })).map((a) => a.Properties);
  for (const ruleId of ruleIds) {
    // The rule's name: a Ref on the default bus, the literal name of a named rule (a Ref would be `bus|rule` there).
    const name = template.toJSON().Resources[ruleId].Properties.Name ?? { Ref: ruleId };
    const alarm = alarms.find((a) => JSON.stringify(a.Dimensions).includes(JSON.stringify({ Name: 'RuleName', Value: name })));
    assert.ok(alarm, `no alarm for ${ruleId}`);
    assert.equal([alarm!.Namespace, alarm!.Statistic, alarm!.Threshold, alarm!.ComparisonOperator], ['AWS/Events', 'Sum', 0, 'GreaterThanThreshold']);
    // Metrics of rules on a custom bus carry the bus name as a dimension too; the S3 rules are on the default bus.
    const onBus = template.toJSON().Resources[ruleId].Properties.EventBusName !== undefined;
    assert.is(alarm!.Dimensions.some((d: { Name: string }) => d.Name === 'EventBusName'), onBus, ruleId);
  }
});

test('an alarm fires on any error of each function', () => {
  for (const fn of [stack.lake.indexer, ...stack.lake.projectors.values(), stack.lake.rebuild]) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(fn) } }],
    });
  }
});

test('without an alarm topic or actions, synthesis warns that the alarms notify nobody, and no alarm has actions', () => {
  Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('alarms have no actions.*eventlake:alarmTopicArn'));
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  assert.equal(alarms.filter((a) => a.Properties.AlarmActions || a.Properties.OKActions).length, 0);
});

test('with an alarm topic, every alarm of the lake notifies it when it fires and when it clears, with no warning', () => {
  const arn = 'arn:aws:sns:eu-west-1:111122223333:eventlake-alarms';
  const notified = build({ alarmTopicArn: arn });
  const alarms = Object.values(Template.fromStack(notified).findResources('AWS::CloudWatch::Alarm'));
  // Every DLQ, dead-lettering, rule and function error alarm, the conflicting-copies one, one events-not-in-log per projector and compaction's two.
  assert.is(alarms.length, 19);
  for (const a of alarms) assert.equal([a.Properties.AlarmActions, a.Properties.OKActions], [[arn], [arn]], a.Properties.AlarmDescription);
  Annotations.fromStack(notified).hasNoWarning('*', Match.stringLikeRegexp('alarms have no actions'));
});

test('custom rules, retries and archive retention are deployed as given', () => {
  const custom = Template.fromStack(build({
    projections: ['balances'], retryAttempts: 3, busArchiveRetentionDays: 0,
    rules: [{ name: 'deposits', pattern: { 'source': ['eventlake'], 'detail-type': ['cash_deposit'] }, target: 'balances' }],
  }));
  custom.hasResourceProperties('AWS::Events::Rule', {
    Name: 'eventlake-deposits', EventPattern: { 'source': ['eventlake'], 'detail-type': ['cash_deposit'] },
    Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 } })],
  });
  // The custom rule, the two S3 rules of the indexer, and the compaction schedule.
  custom.resourceCountIs('AWS::Events::Rule', 4);
  custom.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 0 });
});

test('a rule pattern in EventBridge spelling becomes CDK\'s, and an unknown field throws', () => {
  assert.equal(toCdkPattern({ 'detail-type': ['a'], 'detail': { x: [1] } }), { detailType: ['a'], detail: { x: [1] } });
  assert.throws(() => toCdkPattern({ 'detail_type': ['a'] }), (e: unknown) => e instanceof InvalidArgumentError);
});

test('a rule that targets an undeployed projection, or a duplicate rule name, is refused', () => {
  assert.throws(() => checkRules([{ name: 'x', pattern: {}, target: 'ledger' }], ['balances']), /not a deployed projection/);
  assert.throws(() => checkRules([...defaultDispatchRules(['balances']), ...defaultDispatchRules(['balances'])], ['balances']), /two rules/);
});

test.run();
