// The scheduled compaction in the stack: a daily rule → the compaction function, its environment, its least-privilege
// role (write-once segments, deletes of originals, index re-pointing, one control-table partition), alarm and output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { CONTROL_PREFIX } from '../../adapters/aws/table-keys.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import type { EventLakeProps } from '../../infra/props.ts';
import { COMPACTION_DEFAULTS } from '../../projections/compaction-schedule.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

type Resource = { Type: string; Properties: Record<string, any> };
interface Statement { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function synth(lake: EventLakeProps = {}) {
  const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), ...lake } });
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> };
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return { stack, template, id, fnId: id(stack.lake.compaction) };
}
const { stack, template, id, fnId } = synth();
const resources = Object.values(template.Resources);
const fn = template.Resources[fnId]!.Properties;
const statements: Statement[] = resources
  .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: id(stack.lake.compaction.role! as never) }]))
  .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
const actions = (s: Statement) => [s.Action].flat();
const granting = (action: string) => statements.filter((s) => actions(s).includes(action));
const text = (v: unknown) => JSON.stringify(v);

const test = suite('EventLake scheduled compaction');

test('a daily schedule rule (02:15 UTC) invokes the compaction function', () => {
  const rules = resources.filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
  assert.is(rules.length, 1);
  assert.is(rules[0]!.Properties.ScheduleExpression, 'cron(15 2 * * ? *)');
  assert.ok(text(rules[0]!.Properties.Targets).includes(fnId), text(rules[0]!.Properties.Targets));
});

test('the function runs on Node.js 24 for up to 15 minutes, with the tables, the bucket and the walk settings', () => {
  assert.equal([fn.Runtime, fn.Timeout], ['nodejs24.x', 900]);
  const env = fn.Environment.Variables;
  for (const name of [LAMBDA_ENV.bucket, LAMBDA_ENV.indexTable, LAMBDA_ENV.controlTable]) assert.ok(env[name], name);
  assert.is(env[LAMBDA_ENV.compactionFirstHour], String(Date.UTC(2020, 0, 1) / 1000));
  assert.equal([env[LAMBDA_ENV.compactAfterHours], env[LAMBDA_ENV.compactionLookbackHours]], [String(COMPACTION_DEFAULTS.afterHours), String(COMPACTION_DEFAULTS.lookbackHours)]);
});

test('the function runs one invocation at a time, so two runs never compact one hour into two segments', () => {
  assert.is(fn.ReservedConcurrentExecutions, 1);
});

test('the first run starts at January 1 of the lake\'s firstYear', () => {
  const other = synth({ firstYear: 2024 });
  assert.is(other.template.Resources[other.fnId]!.Properties.Environment.Variables[LAMBDA_ENV.compactionFirstHour], String(Date.UTC(2024, 0, 1) / 1000));
});

test('compaction sizes reach the function as its variables and memory; without them it keeps its own defaults', () => {
  const sized = synth({ compaction: { concurrency: 2, maxSegmentEvents: 1000, maxSegmentBytes: 4_194_304, memorySize: 2048 } });
  const props = sized.template.Resources[sized.fnId]!.Properties;
  const vars = props.Environment.Variables;
  assert.equal([vars[LAMBDA_ENV.compactionConcurrency], vars[LAMBDA_ENV.maxSegmentEvents], vars[LAMBDA_ENV.maxSegmentBytes], props.MemorySize], ['2', '1000', '4194304', 2048]);
  const env = fn.Environment.Variables;
  assert.equal([LAMBDA_ENV.compactionConcurrency, LAMBDA_ENV.maxSegmentEvents, LAMBDA_ENV.maxSegmentBytes].filter((n) => n in env), []);
  assert.is(fn.MemorySize, 1024);
});

test('a compaction size that is not a whole number in range fails the synth naming it', () => {
  for (const [key, value] of [['concurrency', 0], ['maxSegmentBytes', 1.5], ['memorySize', 64]] as const) {
    try {
      synth({ compaction: { [key]: value } });
      assert.unreachable(`accepted compaction.${key} = ${value}`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.is((error as InvalidArgumentError).argument, `compaction.${key}`);
    }
  }
});

test('S3 writes and deletes are granted under events/ only, and nothing that changes retention or tags', () => {
  for (const action of ['s3:PutObject', 's3:DeleteObject']) {
    const s = granting(action);
    assert.is(s.length, 1, action);
    assert.ok(text(s[0]!.Resource).includes('/events/*'), text(s[0]!.Resource));
  }
  const all = statements.flatMap(actions);
  for (const action of ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObject*', 's3:DeleteObject*']) {
    assert.not.ok(all.includes(action), action);
  }
});

test('the index is queried, read and updated, never scanned, deleted from or written whole', () => {
  const onIndex = statements.filter((s) => text(s.Resource).includes(id(stack.lake.indexTable)));
  assert.equal(onIndex.flatMap(actions).sort(), ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
});

test('on the control table only items of the CHECKPOINT partition are read and written', () => {
  const onControl = statements.filter((s) => text(s.Resource).includes(id(stack.lake.controlTable)));
  assert.equal(onControl.flatMap(actions).sort(), ['dynamodb:GetItem', 'dynamodb:PutItem']);
  assert.equal(onControl[0]!.Condition, { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CONTROL_PREFIX.checkpoint] } });
});

test('an error alarm watches the function, and an output names it', () => {
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'Errors' && text(r.Properties.Dimensions).includes(fnId));
  assert.is(alarms.length, 1);
  const output = Object.entries(template.Outputs).find(([key]) => key.includes('CompactionFunctionName'))?.[1];
  assert.equal(output?.Value, { Ref: fnId });
});

test.run();
