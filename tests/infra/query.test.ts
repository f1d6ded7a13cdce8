// Querying the lake: the Glue table (partition projection, restored Glacier objects) and the enforced Athena workgroup.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { awsConfigFrom } from '../../adapters/aws/aws-config.ts';
import { EVENT_LOG_TABLE, JSON_SERDE } from '../../adapters/aws/glue-table.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake', bytesScannedCutoffPerQuery: 50_000_000 } });
// A user role, to check the grant helpers.
const analyst = new Role(stack, 'Analyst', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
stack.lake.grantQuery(analyst);
stack.lake.grantEmit(analyst);
// A role that only queries: what grantQuery alone allows.
const querier = new Role(stack, 'Querier', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
stack.lake.grantQuery(querier);
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const bucketRef = { Ref: id(stack.lake.bucket) };
const tableInput = () => Object.values(template.findResources('AWS::Glue::Table'))[0]!.Properties.TableInput;
const workGroup = () => Object.values(template.findResources('AWS::Athena::WorkGroup'))[0]!.Properties;

const test = suite('EventLake query');

test('the Glue database is named after the prefix, in Glue\'s spelling', () => {
  template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'bank_lake' } });
  template.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'bank_lake', TableInput: { Name: EVENT_LOG_TABLE } });
});

test('the table projects hour partitions from the key layout, so no crawler or MSCK REPAIR is needed', () => {
  const p = tableInput().Parameters;
  assert.is(p['projection.enabled'], 'true');
  assert.equal(['year', 'month', 'day', 'hour'].map((k) => [p[`projection.${k}.type`], p[`projection.${k}.digits`]]), [['integer', '4'], ['integer', '2'], ['integer', '2'], ['integer', '2']]);
  assert.is(p['projection.year.range'], '2020,2100');
  assert.equal(p['storage.location.template'], { 'Fn::Join': ['', ['s3://', bucketRef, '/events/year=${year}/month=${month}/day=${day}/hour=${hour}/']] });
  assert.equal(tableInput().PartitionKeys.map((k: { Name: string }) => k.Name), ['year', 'month', 'day', 'hour']);
});

test('the table reads restored Glacier objects and uses the JSON SerDe over events/', () => {
  assert.is(tableInput().Parameters.read_restored_glacier_objects, 'true');
  assert.is(tableInput().StorageDescriptor.SerdeInfo.SerializationLibrary, JSON_SERDE);
  assert.equal(tableInput().StorageDescriptor.Location, { 'Fn::Join': ['', ['s3://', bucketRef, '/events/']] });
});

test('the workgroup enforces its configuration, a bytes-scanned cutoff and CloudWatch metrics', () => {
  const config = workGroup().WorkGroupConfiguration;
  assert.is(workGroup().Name, 'bank-lake');
  assert.is(config.EnforceWorkGroupConfiguration, true);
  assert.is(config.BytesScannedCutoffPerQuery, 50_000_000);
  assert.is(config.PublishCloudWatchMetricsEnabled, true);
  assert.equal(config.EngineVersion, { SelectedEngineVersion: 'Athena engine version 3' });
});

test('query results go to their own bucket, encrypted with the lake key', () => {
  const result = workGroup().WorkGroupConfiguration.ResultConfiguration;
  assert.equal(result.EncryptionConfiguration, { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] } });
  assert.equal(result.OutputLocation, { 'Fn::Join': ['', ['s3://', { Ref: id(stack.lake.queryResultsBucket) }, '/results/']] });
});

test('the default cutoff is 10 GiB', () => {
  const plain = Template.fromStack(new EventLakeStack(new App(), 'Plain', { lake: { code: Code.fromInline('export const handler = async () => {};') } }));
  plain.hasResourceProperties('AWS::Athena::WorkGroup', { WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10 * 1024 ** 3 }) });
});

test('grantQuery allows Athena on the workgroup and Glue on the table, not on "*"', () => {
  const policy = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(analyst) }] } })));
  assert.ok(policy.includes('athena:StartQueryExecution') && policy.includes(':workgroup/bank-lake'), policy);
  assert.ok(policy.includes('glue:GetTable') && policy.includes(`:table/bank_lake/${EVENT_LOG_TABLE}`), policy);
  assert.not.ok(policy.includes('"Resource":"*"'), policy);
});

test('grantQuery allows the index reads of a range query (GetItem, Query, Scan) on the index table only, and no write', () => {
  const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(querier) }] } }))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
  const onIndex = statements.filter((s) => JSON.stringify(s.Resource).includes(id(stack.lake.indexTable)));
  assert.equal(onIndex.flatMap((s) => [s.Action].flat()).sort(), ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']);
  assert.equal(onIndex.map((s) => s.Resource), [{ 'Fn::GetAtt': [id(stack.lake.indexTable), 'Arn'] }]);
});

test('grantEmit allows PUTs to the log of one-event objects (events/…/*.event) only (the bucket policy makes them conditional)', () => {
  const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(analyst) }] } }))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
  const puts = statements.filter((s) => [s.Action].flat().includes('s3:PutObject') && JSON.stringify(s.Resource).includes(id(stack.lake.bucket)));
  assert.equal(puts.map((s) => s.Resource), [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.lake.bucket), 'Arn'] }, '/events/*.event']] }]);
});

test('outputs name everything the CLI needs', () => {
  const outputs = Object.values(template.toJSON().Outputs as Record<string, { Description: string }>).map((o) => o.Description);
  for (const want of ['event log bucket', 'bus the indexer publishes to', 'event index table', 'Athena workgroup', 'rebuild function']) {
    assert.ok(outputs.some((d) => d.startsWith(want)), want);
  }
});

/** An output's value with each reference written as `<Ref X>` / `<X.Attr>` / `<AWS::Region>`, as CloudFormation would fill it. */
function resolved(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v['Fn::Join']) { const [sep, parts] = v['Fn::Join'] as [string, unknown[]]; return parts.map(resolved).join(sep); }
  if (v['Ref']) return `<Ref ${String(v['Ref'])}>`;
  if (v['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

test('the CliConfig output is a ready --config file for the CLI, naming the stack\'s resources', () => {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const key = Object.keys(outputs).find((k) => k.includes('CliConfig'))!;
  const { target, ...settings } = JSON.parse(resolved(outputs[key]!.Value)) as Record<string, unknown>;
  assert.is(target, 'aws');
  const config = awsConfigFrom({ settings, env: {} });
  assert.equal([config.bucket, config.indexTable, config.tablePrefix], [`<Ref ${id(stack.lake.bucket)}>`, `<Ref ${id(stack.lake.indexTable)}>`, 'bank-lake']);
  assert.equal(config.athena, { workGroup: 'bank-lake', database: 'bank_lake' });
  assert.is(config.region, '<Ref AWS::Region>');
});

test.run();
