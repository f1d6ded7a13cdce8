// What a projection reader's role may do: item reads and Scan of the projections' generation tables (whichever is live), GetItem
// of their live-generation pointers, and Decrypt with the lake key; nothing else.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Read', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const role = (name: string) => new Role(stack, name, { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
const reader = role('Reader');
const balancesReader = role('BalancesReader');
stack.lake.grantRead(reader);
stack.lake.grantRead(balancesReader, ['balances']);
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

const statements = (r: Role): unknown[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(r) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as unknown[]);
const generations = (projection: string) => {
  const table = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:table/bank-lake-${projection}-g*`]] };
  return [table, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:table/bank-lake-${projection}-g*/index/*`]] }];
};
const expected = (projections: string[]) => [
  { Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], Effect: 'Allow', Resource: projections.flatMap(generations) },
  // CloudFormation renders a statement of one resource without the array.
  { Action: 'dynamodb:Scan', Effect: 'Allow', Resource: projections.length === 1 ? generations(projections[0]!)[0] : projections.map((p) => generations(p)[0]) },
  {
    Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack.lake.controlTable), 'Arn'] },
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': projections.map((p) => `GEN#${p}`) } },
  },
  { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] } },
];

const test = suite('EventLake.grantRead');

test('a reader may read items of every generation of each projection, Scan their tables, read its live-generation pointer, and decrypt: nothing more', () => {
  assert.equal(statements(reader), expected(['balances', 'statement']));
});

test('a reader may Scan the generation tables, since all balances at once is one Scan (Eventlake.balances), but not their indexes', () => {
  const scans = statements(reader).filter((s) => JSON.stringify(s).includes('dynamodb:Scan'));
  assert.equal(scans, [{ Action: 'dynamodb:Scan', Effect: 'Allow', Resource: [generations('balances')[0], generations('statement')[0]] }]);
});

test('a reader of some projections may read only theirs', () => {
  assert.equal(statements(balancesReader), expected(['balances']));
});

test('a projection the lake does not have is refused, naming the lake\'s', () => {
  assert.throws(() => stack.lake.grantRead(role('Typo'), ['balance']),
    (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'projections' && /"balance".*balances, statement/.test(e.message));
});

test.run();
