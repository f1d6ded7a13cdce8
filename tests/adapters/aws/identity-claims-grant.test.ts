// grantEmit and identity claims: an emitter writes claims to the control table before each object, and may touch
// nothing else there (live generations, snapshots, checkpoints stay the functions').
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { IDENTITY_CLAIM_PREFIX } from '../../../adapters/aws/dynamodb-identity-claims.ts';
import { EventLakeStack } from '../../../infra/event-lake-stack.ts';
import '../../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Claims', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const emitter = new Role(stack, 'Emitter', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
stack.lake.grantEmit(emitter);
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

interface Statement { readonly Action: string | string[]; readonly Resource: unknown; readonly Condition?: unknown }
const onControl = (): Statement[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(emitter) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
  .filter((s) => JSON.stringify(s.Resource).includes(id(stack.lake.controlTable)));

const test = suite('grantEmit: identity claims');

test('an emitter may put, read and take back identity claims in the control table, and only in their partitions', () => {
  const statements = onControl();
  assert.is(statements.length, 1);
  assert.equal([statements[0]!.Action].flat().sort(), ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);
  assert.equal(statements[0]!.Condition, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${IDENTITY_CLAIM_PREFIX}*`] } });
});

test.run();
