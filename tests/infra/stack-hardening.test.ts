// The synthesized stack's hardening: only the indexer may put events on the lake's bus, the functions' log groups are
// encrypted with the lake key (which lets CloudWatch Logs use it for exactly those groups), and every resource is tagged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { checkProps } from '../../infra/props.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Hardening', {
  lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake', tags: { team: 'payments' } },
});
const lake = stack.lake;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, any> }>;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
const arnOf = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [id(c), 'Arn'] });
const FUNCTION_NAMES = ['bank-lake-indexer', 'bank-lake-projector-balances', 'bank-lake-projector-statement', 'bank-lake-rebuild', 'bank-lake-compaction'];

const bus = suite('the lake bus policy');

bus('the bus denies events:PutEvents to every principal but the indexer role, AWS service principals left out', () => {
  const sid = 'cdk-bank-lake-only-indexer-puts';
  assert.equal(ofType('AWS::Events::EventBusPolicy').map((p) => p.Properties), [{
    EventBusName: { Ref: id(lake.bus) }, StatementId: sid,
    Statement: {
      Sid: sid, Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: arnOf(lake.bus),
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [arnOf(lake.indexer.role!)] }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    },
  }]);
});

bus('the indexer is the only role of the stack granted events:PutEvents, so the policy refuses no publisher of the lake', () => {
  const putters = ofType('AWS::IAM::Policy')
    .filter((p) => (p.Properties!.PolicyDocument.Statement as Array<{ Action: string | string[] }>).some((s) => [s.Action].flat().includes('events:PutEvents')))
    .flatMap((p) => p.Properties!.Roles);
  assert.equal(putters, [{ Ref: id(lake.indexer.role!) }]);
});

bus.run();

const logs = suite('the functions\' log groups');

logs('every log group is encrypted with the lake key, keeps a year of logs and is retained', () => {
  const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
  assert.equal(groups.map((g) => [g.Properties.LogGroupName, g.Properties.KmsKeyId, g.Properties.RetentionInDays, g.DeletionPolicy]),
    FUNCTION_NAMES.map((name) => [`/aws/lambda/${name}`, arnOf(lake.key), 365, 'Retain']));
});

logs('the key lets CloudWatch Logs of the region use it for those log groups only (the encryption context names each)', () => {
  const statements = (ofType('AWS::KMS::Key')[0]!.Properties!.KeyPolicy.Statement as Array<Record<string, any>>)
    .filter((s) => JSON.stringify(s.Principal).includes('logs.'));
  const groupArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/lambda/${name}`]] });
  assert.equal(statements, FUNCTION_NAMES.map((name) => ({
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': groupArn(name) } },
    Effect: 'Allow', Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } }, Resource: '*',
  })));
});

logs.run();

const tags = suite('the lake\'s tags');
const tagsOf = (r: { Properties?: Record<string, any> }) => Object.fromEntries(((r.Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));

tags('every resource CloudFormation can tag carries the lake, its component and the user\'s tags', () => {
  const components: Record<string, string[]> = {};
  for (const r of Object.values(resources).filter((x) => x.Properties?.Tags)) {
    const t = tagsOf(r);
    assert.equal([t['eventlake:lake'], t.team], ['bank-lake', 'payments'], r.Type);
    (components[r.Type] ??= []).push(t['eventlake:component'] ?? 'none');
  }
  const fns = ['indexer', 'projector', 'projector', 'rebuild', 'compaction'];
  assert.equal(components, {
    'AWS::KMS::Key': ['storage'], 'AWS::S3::Bucket': ['storage', 'storage', 'storage'], 'AWS::DynamoDB::Table': ['tables', 'tables', 'tables', 'tables'],
    'AWS::Events::EventBus': ['dispatch'], 'AWS::SQS::Queue': ['indexer', 'projector', 'projector'],
    'AWS::IAM::Role': fns, 'AWS::Logs::LogGroup': fns, 'AWS::Lambda::Function': fns,
    'AWS::Events::Rule': ['indexer', 'indexer', 'projector', 'projector', 'compaction'],
    'AWS::CloudWatch::Alarm': Array.from({ length: 19 }, () => 'alarms'), 'AWS::Athena::WorkGroup': ['query'],
  });
});

tags('the resources without tags are only of types CloudFormation cannot tag', () => {
  const untagged = [...new Set(Object.values(resources).filter((r) => !r.Properties?.Tags).map((r) => r.Type))].sort();
  assert.equal(untagged, [
    'AWS::Events::Archive', 'AWS::Events::EventBusPolicy', 'AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::IAM::Policy', 'AWS::KMS::Alias',
    'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::Permission', 'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy',
  ]);
});

tags('a user tag may not use the aws: or eventlake: prefix, nor exceed AWS\'s lengths', () => {
  const refused: Array<Record<string, string>> = [{ 'aws:team': 'x' }, { 'eventlake:component': 'x' }, { ['k'.repeat(129)]: 'x' }, { team: 'v'.repeat(257) }];
  for (const tags of refused) {
    assert.throws(() => checkProps({ tags }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'tags', JSON.stringify(tags).slice(0, 40));
  }
  checkProps({ tags: { team: 'payments', 'cost-center': '' } });
});

tags.run();
