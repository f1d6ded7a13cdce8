// `-c eventlake:firstYear`: a stack deployed with the repository's app can be told its oldest event's year, which the
// Glue projection and the compaction walk start from (before, only a construct user could set it).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { CONTEXT, createApp, propsFromContext } from '../../infra/app.ts';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const test = suite('EventLake app: firstYear from context');

test('eventlake:firstYear becomes the firstYear prop', () => {
  assert.equal(propsFromContext((k) => ({ [CONTEXT.firstYear]: '2018' } as Record<string, unknown>)[k]), { firstYear: 2018 });
});

test('a firstYear that is not a whole number is refused naming the context key', () => {
  assert.throws(() => propsFromContext((k) => ({ [CONTEXT.firstYear]: 'twenty' } as Record<string, unknown>)[k]),
    (e: unknown) => e instanceof InvalidArgumentError && e.message.includes('eventlake:firstYear'));
});

test('the deployed Athena table and compaction walk start at the context\'s year', () => {
  const { stack } = createApp({ context: { [CONTEXT.firstYear]: '2018' }, lake: { code: Code.fromInline('export const handler = async () => {};') } });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const glue = Object.values(resources).find((r) => r.Type === 'AWS::Glue::Table')!;
  assert.is(glue.Properties.TableInput.Parameters['projection.year.range'], '2018,2100');
  const compaction = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'eventlake-compaction')!;
  assert.is(compaction.Properties.Environment.Variables[LAMBDA_ENV.compactionFirstHour], String(Date.UTC(2018, 0, 1) / 1000));
});

test.run();
