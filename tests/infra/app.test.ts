// The CDK app: props from `-c eventlake:<name>=<value>`, and a full in-process synthesis with cdk-nag as a gate.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { CONTEXT, createApp, propsFromContext } from '../../infra/app.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { tempDir } from '../support/tmp.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const from = (ctx: Record<string, unknown>) => propsFromContext((k) => ctx[k]);
const test = suite('EventLake app');

test('no context gives the construct\'s defaults (empty props)', () => {
  assert.equal(from({}), {});
});

test('command-line strings become typed props', () => {
  const props = from({
    [CONTEXT.prefix]: 'bank', [CONTEXT.glacierAfterDays]: '30', [CONTEXT.deepArchiveAfterDays]: '180',
    [CONTEXT.objectLockMode]: 'COMPLIANCE', [CONTEXT.objectLockDays]: '3650', [CONTEXT.projections]: 'balances, statement',
    [CONTEXT.bytesScannedCutoffPerQuery]: '100000000', [CONTEXT.archiveSmallObjects]: 'true', [CONTEXT.maxEventAgeHours]: '2',
  });
  assert.equal({ ...props, maxEventAge: props.maxEventAge?.toHours() }, {
    prefix: 'bank', lifecycle: { glacierAfterDays: 30, deepArchiveAfterDays: 180 }, objectLock: { mode: 'COMPLIANCE', retentionDays: 3650 },
    projections: ['balances', 'statement'], bytesScannedCutoffPerQuery: 100_000_000, archiveSmallObjects: true, maxEventAge: 2,
  });
});

test('a GLACIER day alone keeps DEEP_ARCHIVE at least 90 days later', () => {
  assert.equal(from({ [CONTEXT.glacierAfterDays]: 60 }).lifecycle, { glacierAfterDays: 60, deepArchiveAfterDays: 150 });
  assert.equal(from({ [CONTEXT.glacierAfterDays]: 7 }).lifecycle, { glacierAfterDays: 7, deepArchiveAfterDays: 105 });
});

test('an alarm topic ARN from context becomes the alarmTopicArn prop; one that is not an SNS topic ARN is refused, naming the key', () => {
  const arn = 'arn:aws:sns:eu-west-1:111122223333:eventlake-alarms';
  assert.is(from({ [CONTEXT.alarmTopicArn]: arn }).alarmTopicArn, arn);
  for (const bad of ['eventlake-alarms', 'arn:aws:sqs:eu-west-1:111122223333:q', 'arn:aws:sns:eu-west-1:1111:eventlake-alarms', `${arn}.fifo`]) {
    assert.throws(() => from({ [CONTEXT.alarmTopicArn]: bad }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === CONTEXT.alarmTopicArn && e.message.includes('arn:aws:sns:'), bad);
  }
});

test('bad context values are refused with the key named', () => {
  assert.throws(() => from({ [CONTEXT.objectLockMode]: 'STRICT', [CONTEXT.objectLockDays]: '1' }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === CONTEXT.objectLockMode);
  assert.throws(() => from({ [CONTEXT.objectLockMode]: 'GOVERNANCE' }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === CONTEXT.objectLockDays);
  assert.throws(() => from({ [CONTEXT.glacierAfterDays]: 'two weeks' }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === CONTEXT.glacierAfterDays);
});

test('the app synthesizes the stack with cdk-nag registered, and nothing is reported', () => {
  const outdir = tempDir('eventlake-app-');
  const { app, stack } = createApp({ outdir, context: { [CONTEXT.stackName]: 'Lake' }, lake: { code: Code.fromInline('export const handler = async () => {};') } });
  const assembly = app.synth();
  assert.is(stack.stackName, 'Lake');
  assert.ok(existsSync(join(outdir, 'Lake.template.json')));
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations?: unknown[] }> };
  assert.equal(report.pluginReports.flatMap((r) => r.violations ?? []), []);
  // analyticsReporting off: no CDKMetadata resource in the template.
  assert.not.ok(readFileSync(join(outdir, 'Lake.template.json'), 'utf8').includes('AWS::CDK::Metadata'));
  assert.is(assembly.stacks.length, 1);
});

test('with the checks added, a synthesis with an unacknowledged finding fails', () => {
  const app = new App({ outdir: tempDir('eventlake-nag-') });
  new Bucket(new Stack(app, 'Plain'), 'Open');
  addNagChecks(app);
  // CDK prints the report before throwing; keep the test output quiet but check the report named the rule.
  let printed = '';
  const writes = [process.stdout.write, process.stderr.write, console.error, console.log] as const;
  const capture = (chunk: unknown) => { printed += String(chunk); return true; };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  console.error = console.log = capture;
  try {
    assert.throws(() => app.synth(), /Validation failed/);
  } finally {
    [process.stdout.write, process.stderr.write, console.error, console.log] = writes;
  }
  assert.ok(printed.includes('AwsSolutions-S10'), printed);
});

test.run();
