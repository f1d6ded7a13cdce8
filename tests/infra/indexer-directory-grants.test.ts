// What the indexer's role may do to the index table for the hour directory: DynamoDbEventIndex.put checks the index is
// empty (Scan), writes the "complete since" marker (PutItem), the hours' items (BatchWriteItem), and checks a
// remembered hour's item inside the entries' transaction (ConditionCheckItem). A grant narrowed to the entries' keys
// (dynamodb:LeadingKeys) would fail every put, and with it the indexing of every event.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'IndexerDirectory', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

interface Statement { readonly Action: string | string[]; readonly Resource: unknown; readonly Condition?: unknown }
const onIndex = (): Statement[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(stack.lake.indexer.role! as never) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
  .filter((s) => JSON.stringify(s.Resource).includes(id(stack.lake.indexTable)));

const test = suite('indexer grants for the hour directory');

test('the indexer may Scan, PutItem, BatchWriteItem and ConditionCheckItem on the index table, with no condition on the keys', () => {
  const unconditioned = onIndex().filter((s) => s.Condition === undefined).flatMap((s) => [s.Action].flat());
  for (const action of ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem']) {
    assert.ok(unconditioned.includes(action), `${action} missing from ${JSON.stringify(onIndex())}`);
  }
});

test.run();
