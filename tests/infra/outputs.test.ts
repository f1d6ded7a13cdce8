// The stack outputs `eventlake rebuild --remote` relies on: the rebuild function's name, alone and in the CliConfig file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { AWS_CONFIG_KEYS } from '../../adapters/aws/aws-config.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
const rebuildRef = { Ref: stack.getLogicalId(stack.lake.rebuild.node.defaultChild as never) };
const output = (name: string) => Object.entries(outputs).find(([key]) => key.includes(name))?.[1];

const test = suite('EventLake outputs for rebuild --remote');

test('RebuildFunctionName is the rebuild function\'s name, and its description names EVENTLAKE_REBUILD_FUNCTION', () => {
  const out = output('RebuildFunctionName');
  assert.equal(out?.Value, rebuildRef);
  assert.ok(out?.Description.includes('EVENTLAKE_REBUILD_FUNCTION') && out.Description.includes('--remote'), out?.Description);
});

test('the CliConfig file names the rebuild function, so --remote needs no setting beyond it', () => {
  // CloudFormation joins the JSON text around each reference: the reference after `"rebuildFunction":"` is the value.
  const [, parts] = (output('CliConfig')!.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const at = parts.findIndex((p) => typeof p === 'string' && p.endsWith('"rebuildFunction":"'));
  assert.ok(at >= 0, JSON.stringify(parts));
  assert.equal(parts[at + 1], rebuildRef);
  assert.ok(AWS_CONFIG_KEYS.includes('rebuildFunction'));
});

test.run();
