// What an emitter's role may do: emit on AWS reads the event index (its duplicate checks), so grantEmit allows that read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Emit', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const emitter = new Role(stack, 'Emitter', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
stack.lake.grantEmit(emitter);
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

interface Statement { readonly Action: string | string[]; readonly Resource: unknown }
const statements = (): Statement[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(emitter) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actionsOn = (resource: string): string[] => statements().filter((s) => JSON.stringify(s.Resource).includes(resource)).flatMap((s) => [s.Action].flat());

const test = suite('grantEmit');

test('an emitter may read index items (BatchGetItem, GetItem) for the duplicate checks of emit', () => {
  const actions = actionsOn(id(stack.lake.indexTable));
  assert.ok(actions.includes('dynamodb:BatchGetItem') && actions.includes('dynamodb:GetItem'), JSON.stringify(actions));
});

test('an emitter may not write the index: only the indexer does', () => {
  const writes = actionsOn(id(stack.lake.indexTable)).filter((a) => /Put|Update|Delete|Write/.test(a));
  assert.equal(writes, []);
});

test('on the log an emitter may PutObject of one-event objects only: no retention, legal hold, tagging or ACL writes', () => {
  const onBucket = statements().filter((s) => JSON.stringify(s.Resource).includes(id(stack.lake.bucket)));
  const writes = onBucket.flatMap((s) => [s.Action].flat()).filter((a) => /^s3:(Put|Delete|Restore|Bypass)/.test(a));
  assert.equal(writes, ['s3:PutObject']);
  const put = onBucket.find((s) => [s.Action].flat().includes('s3:PutObject'));
  assert.equal(put?.Resource, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.lake.bucket), 'Arn'] }, '/events/*.event']] });
});

test('an emitter may generate data keys of the lake key, which an SSE-KMS PUT needs', () => {
  assert.ok(actionsOn(id(stack.lake.key)).includes('kms:GenerateDataKey*'), JSON.stringify(statements()));
});

test('an emitter may decrypt with the lake key, which encrypts the index table', () => {
  assert.ok(actionsOn(id(stack.lake.key)).includes('kms:Decrypt'), JSON.stringify(statements()));
});

test.run();
