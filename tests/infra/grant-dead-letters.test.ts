// EventLake.grantDeadLetters: what an operator's role needs for `eventlake dlq list|redrive --target aws`, and no more.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const operator = new Role(stack, 'Operator', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
stack.lake.grantDeadLetters(operator);
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(operator) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
const actionsOn = (resource: string) => statements.filter((s) => JSON.stringify(s.Resource).includes(resource)).flatMap((s) => [s.Action].flat()).sort();

const test = suite('EventLake.grantDeadLetters');

test('every dead-letter queue may be read, released and emptied, the indexer\'s and each projector\'s', () => {
  assert.equal([...stack.lake.deadLetterQueues.keys()], ['indexer', 'balances', 'statement']);
  for (const queue of stack.lake.deadLetterQueues.values()) {
    const actions = actionsOn(id(queue));
    for (const want of ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes']) assert.ok(actions.includes(want), `${want} on ${queue.node.id}`);
    assert.not.ok(actions.includes('sqs:SendMessage'), queue.node.id);
  }
});

test('the lake\'s key may decrypt what the queues hold (they are encrypted with it)', () => {
  assert.ok(actionsOn(id(stack.lake.key)).includes('kms:Decrypt'));
});

test('the indexer and every projector may be invoked, and no other function', () => {
  const invoked = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction')).map((s) => JSON.stringify(s.Resource));
  for (const fn of [stack.lake.indexer, ...stack.lake.projectors.values()]) assert.ok(invoked.some((r) => r.includes(id(fn))), fn.node.id);
  for (const fn of [stack.lake.rebuild, stack.lake.compaction]) assert.not.ok(invoked.some((r) => r.includes(id(fn))), fn.node.id);
});

test.run();
