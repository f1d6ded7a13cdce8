// The Lambda functions, bundled for real by the local esbuild: runtime, arm64, env, tracing, logs, and their IAM statements.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { BUILTIN_SCHEMAS, PROJECT_ROOT, REQUIRE_SHIM } from '../../infra/functions.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import * as deployedBundle from '../support/deployed-bundle.ts';
import { tempDir } from '../support/tmp.ts';

// The one synthesis of this file that runs esbuild (NodejsFunction bundling, no Docker). Without aws-cdk-lib's
// CloudFormation validation (~11 s of CPU in a fresh process, no cache): these tests read the functions and their
// bundles, and tests/infra/app.test.ts validates the same stack (inline code) and checks that nothing is reported.
const outdir = tempDir('eventlake-cdk-');
const stack = new EventLakeStack(new App({ outdir, builtinCloudFormationValidation: false }), 'Test');
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const lakeFn = (name: string) => name === 'indexer' ? stack.lake.indexer : name === 'rebuild' ? stack.lake.rebuild : name === 'compaction' ? stack.lake.compaction : stack.lake.projectors.get(name)!;
const fn = (name: string) => resources[id(lakeFn(name))]!.Properties;
const FUNCTIONS = ['indexer', 'balances', 'statement', 'rebuild', 'compaction'];

interface Statement { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }
function statements(name: string): Statement[] {
  const role = lakeFn(name).role!;
  const roleId = id(role);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}
const actions = (s: Statement) => [s.Action].flat();
const granted = (name: string, action: string) => statements(name).filter((s) => actions(s).includes(action));
const text = (v: unknown) => JSON.stringify(v);

const test = suite('EventLake functions');

test('every function runs on Node.js 24, arm64, with active tracing and its own log group', () => {
  for (const name of FUNCTIONS) {
    const f = fn(name);
    assert.is(f.Runtime, 'nodejs24.x', name);
    assert.equal(f.Architectures, ['arm64'], name);
    assert.is(f.Handler, 'index.handler', name);
    assert.equal(f.TracingConfig, { Mode: 'Active' }, name);
    assert.ok(text(f.LoggingConfig).includes('LogGroup'), name);
  }
  template.resourceCountIs('AWS::Lambda::Function', 5);
});

test('each entry file is bundled by esbuild into an ESM index.mjs with a require shim', () => {
  const assets = new Set(FUNCTIONS.map((name) => fn(name).Code.S3Key as string));
  for (const key of assets) {
    const file = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
    assert.ok(existsSync(file), file);
    const head = readFileSync(file, 'utf8').slice(0, 200);
    assert.ok(head.includes('createRequire'), head);
  }
});

test('each bundle carries the built-in schemas beside index.mjs, where the registry looks for them (replay validates)', () => {
  const builtin = readdirSync(BUILTIN_SCHEMAS).sort();
  for (const name of FUNCTIONS) {
    const dir = join(outdir, `asset.${(fn(name).Code.S3Key as string).replace(/\.zip$/, '')}`, 'builtin');
    assert.equal(readdirSync(dir).sort(), builtin, name);
    const registry = SchemaRegistry.load({ withoutBuiltins: true, folders: [dir] });
    const versions = (r: SchemaRegistry) => r.types().map((t) => `${t.type} v${t.versions.join(",")}`).sort();
    assert.equal(versions(registry), versions(SchemaRegistry.load()), name);
  }
});

test('bundles keep class names: Lambda reports a thrown error\'s name as errorType, and rebuild --remote branches on InvalidArgumentError', () => {
  const bundle = readFileSync(join(outdir, `asset.${(fn('rebuild').Code.S3Key as string).replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
  // esbuild's keepNames records each class's name as a string beside it; minified without it, the name is gone.
  assert.ok(bundle.includes('"InvalidArgumentError"'), 'InvalidArgumentError is not named in the rebuild bundle');
});

test('the tests that bundle code without a synthesis (tests/support/deployed-bundle.ts) use these settings', () => {
  assert.equal([deployedBundle.PROJECT_ROOT, deployedBundle.BUILTIN_SCHEMAS, deployedBundle.REQUIRE_SHIM], [PROJECT_ROOT, BUILTIN_SCHEMAS, REQUIRE_SHIM]);
});

test('function names, memory and timeouts fit their work', () => {
  assert.equal(FUNCTIONS.map((n) => fn(n).FunctionName), ['eventlake-indexer', 'eventlake-projector-balances', 'eventlake-projector-statement', 'eventlake-rebuild', 'eventlake-compaction']);
  assert.equal(FUNCTIONS.map((n) => [fn(n).MemorySize, fn(n).Timeout]), [[512, 60], [512, 60], [512, 60], [1769, 900], [1024, 900]]);
});

test('each function gets the environment variables its entry file reads, plus Powertools settings', () => {
  const env = (n: string) => fn(n).Environment.Variables as Record<string, unknown>;
  assert.equal(Object.keys(env('indexer')).filter((k) => k.startsWith('EVENTLAKE_')).sort(), [LAMBDA_ENV.bucket, LAMBDA_ENV.eventBus, LAMBDA_ENV.indexTable].sort());
  assert.equal(env('balances')[LAMBDA_ENV.projection], 'balances');
  assert.equal(env('statement')[LAMBDA_ENV.projection], 'statement');
  assert.equal(env('balances')[LAMBDA_ENV.controlTable], { Ref: id(stack.lake.controlTable) });
  assert.equal(env('rebuild')[LAMBDA_ENV.indexTable], { Ref: id(stack.lake.indexTable) });
  assert.is(env('rebuild')[LAMBDA_ENV.tablePrefix], 'eventlake');
  // Generation tables created or restored at run time get the lake key too.
  for (const n of ['balances', 'rebuild']) assert.equal(env(n)[LAMBDA_ENV.kmsKeyArn], { 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] }, n);
  for (const n of FUNCTIONS) {
    assert.equal(env(n)[LAMBDA_ENV.bucket], { Ref: id(stack.lake.bucket) }, n);
    assert.is(env(n).POWERTOOLS_METRICS_NAMESPACE, 'eventlake', n);
    assert.match(String(env(n).POWERTOOLS_SERVICE_NAME), /^eventlake-(indexer|projector|rebuild|compaction)$/);
  }
});

test('log groups keep a year of logs and are retained', () => {
  for (const g of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
    assert.is(g.Properties.RetentionInDays, 365);
    assert.is(g.DeletionPolicy, 'Retain');
  }
});

test('no statement of any function grants a "*" action or a service-wide wildcard', () => {
  for (const name of FUNCTIONS) {
    for (const a of statements(name).flatMap(actions)) assert.not.match(a, /^(\*|[a-z0-9-]+:\*)$/, `${name}: ${a}`);
  }
});

test('the only "*" resource is X-Ray\'s, which has no resource-level permissions', () => {
  for (const name of FUNCTIONS) {
    const star = statements(name).filter((s) => [s.Resource].flat().includes('*'));
    assert.equal(star.map(actions), [['xray:PutTraceSegments', 'xray:PutTelemetryRecords']], name);
  }
});

// Compaction writes segments (If-None-Match, as the bucket policy demands) and deletes originals: tests/infra/compaction.test.ts.
test('no function but compaction may write, delete or overwrite log objects', () => {
  for (const name of FUNCTIONS.filter((n) => n !== 'compaction')) {
    for (const a of statements(name).flatMap(actions)) assert.not.match(a, /^s3:(Put|Delete|Abort)/, `${name}: ${a}`);
  }
});

test('the indexer reads events/, writes the index and puts events on the lake bus only', () => {
  assert.equal(granted('indexer', 'events:PutEvents').map((s) => s.Resource), [{ 'Fn::GetAtt': [id(stack.lake.bus), 'Arn'] }]);
  assert.ok(text(granted('indexer', 'dynamodb:PutItem').map((s) => s.Resource)).includes(id(stack.lake.indexTable)));
  assert.ok(text(granted('indexer', 's3:GetObject*').map((s) => s.Resource)).includes('/events/*'));
  assert.not.ok(text(statements('indexer')).includes(id(stack.lake.controlTable)));
});

test('a projector writes only its own projection\'s generation tables, and of the control table only updates the latest mark', () => {
  const writes = text(granted('balances', 'dynamodb:PutItem').map((s) => s.Resource));
  assert.ok(writes.includes(':table/eventlake-balances-g*'), writes);
  assert.not.ok(writes.includes('statement'), writes);
  assert.not.ok(writes.includes(id(stack.lake.controlTable)), writes);
  assert.ok(text(granted('balances', 'dynamodb:UpdateItem').map((s) => s.Resource)).includes(id(stack.lake.controlTable)));
  assert.not.ok(text(granted('balances', 'dynamodb:DeleteItem')).includes(id(stack.lake.controlTable)));
  assert.equal(granted('balances', 'dynamodb:CreateTable'), []);
  assert.equal(granted('balances', 'events:PutEvents'), []);
});

test('the rebuild manages generation tables, but cannot create or delete the index or control table', () => {
  const admin = text(granted('rebuild', 'dynamodb:DeleteTable').map((s) => s.Resource));
  assert.ok(admin.includes('eventlake-balances-g*') && admin.includes('eventlake-statement-g*'), admin);
  assert.not.ok(admin.includes(id(stack.lake.indexTable)) || admin.includes(id(stack.lake.controlTable)), admin);
  for (const a of ['dynamodb:RestoreTableToPointInTime', 'dynamodb:UpdateContinuousBackups', 'dynamodb:CreateTable']) assert.is(granted('rebuild', a).length, 1, a);
});

test('on every projection\'s generation tables the rebuild may create, unprotect, drop, back up and restore into', () => {
  const needed = [
    'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:UpdateContinuousBackups',
    'dynamodb:DescribeContinuousBackups', 'dynamodb:RestoreTableToPointInTime',
    // A restore writes the target table's items with the caller's permissions.
    'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem',
  ];
  for (const a of needed) {
    const on = text(granted('rebuild', a).map((s) => s.Resource));
    assert.ok(on.includes('eventlake-balances-g*') && on.includes('eventlake-statement-g*'), `${a}: ${on}`);
  }
  assert.equal(granted('balances', 'dynamodb:UpdateTable'), []);
});

test('the rebuild may use the lake key for tables it creates or restores: grants via DynamoDB, and decrypt', () => {
  const key = text({ 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] });
  const [grant] = granted('rebuild', 'kms:CreateGrant');
  assert.ok(text(grant?.Condition).includes('dynamodb.') && text(grant?.Condition).includes('kms:ViaService'), text(grant?.Condition));
  for (const a of ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt']) {
    assert.ok(granted('rebuild', a).some((s) => text(s.Resource) === key), a);
  }
});

test('the rebuild may restore archived objects under events/ and let DynamoDB use the key for new tables', () => {
  assert.equal(granted('rebuild', 's3:RestoreObject').map((s) => s.Resource), [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.lake.bucket), 'Arn'] }, '/events/*']] }]);
  const [grant] = granted('rebuild', 'kms:CreateGrant');
  assert.equal(grant?.Resource, { 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] });
  assert.ok(text(grant?.Condition).includes('kms:ViaService') && text(grant?.Condition).includes('kms:GrantIsForAWSResource'));
});

test('the indexer and the projectors may send to and redrive from their own encrypted DLQ only; the rebuild has none', () => {
  for (const name of ['indexer', 'balances', 'statement']) {
    const dlq = id(stack.lake.deadLetterQueues.get(name)!);
    assert.equal(granted(name, 'sqs:SendMessage').map((s) => s.Resource), [{ 'Fn::GetAtt': [dlq, 'Arn'] }], name);
    assert.equal(granted(name, 'sqs:ReceiveMessage').map((s) => s.Resource), [{ 'Fn::GetAtt': [dlq, 'Arn'] }], name);
    assert.ok(granted(name, 'kms:GenerateDataKey').some((s) => text(s.Resource) === text({ 'Fn::GetAtt': [id(stack.lake.key), 'Arn'] })), name);
  }
  assert.equal(granted('rebuild', 'sqs:SendMessage'), []);
});

test.run();
