// What the projector and rebuild roles may and may not do: a projector touches only its own generation pointer in the control
// table; the rebuild may neither unprotect nor delete the stack's generation-1 tables, nor export a table.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Scopes', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

interface Statement { readonly Effect: string; readonly Action: string | string[]; readonly Resource: unknown; readonly Condition?: unknown }
const statementsOf = (role: { node: { defaultChild?: unknown } }): Statement[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(role) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const on = (statements: Statement[], resource: string) => statements.filter((s) => JSON.stringify(s.Resource).includes(resource));

const test = suite('function role scopes');

test('a projector may GetItem and UpdateItem only its own pointer item (GEN#<projection>) of the control table, nothing else there', () => {
  const control = on(statementsOf(stack.lake.projectors.get('balances')!.role! as never), id(stack.lake.controlTable));
  assert.equal(control, [{
    Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [id(stack.lake.controlTable), 'Arn'] },
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['GEN#balances'] } },
  }]);
});

test('the rebuild is denied UpdateTable and DeleteTable on each projection\'s generation-1 table, which the stack owns', () => {
  const denied = statementsOf(stack.lake.rebuild.role! as never).filter((s) => s.Effect === 'Deny');
  const g1 = [...stack.lake.projectionTables.values()].map((t) => ({ 'Fn::GetAtt': [id(t), 'Arn'] }));
  assert.equal(denied, [{ Effect: 'Deny', Action: ['dynamodb:UpdateTable', 'dynamodb:DeleteTable'], Resource: g1 }]);
});

test('the rebuild may not export a table to S3: no path of it does', () => {
  const actions = statementsOf(stack.lake.rebuild.role! as never).flatMap((s) => [s.Action].flat());
  assert.not.ok(actions.includes('dynamodb:ExportTableToPointInTime'), JSON.stringify(actions));
});

// The projector vouches for each bus event against its index entry (adapters/aws/lambda/vouch-event.ts): without the
// table's name and GetItem on it, a deployed projector fails at cold start.
test('each projector is told the index table and may GetItem on it, nothing more there', () => {
  for (const [p, fn] of stack.lake.projectors) {
    const index = on(statementsOf(fn.role! as never), id(stack.lake.indexTable));
    assert.equal(index, [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [id(stack.lake.indexTable), 'Arn'] } }], p);
    const env = template.toJSON()['Resources'][id(fn)].Properties.Environment.Variables;
    assert.equal(env.EVENTLAKE_INDEX_TABLE, { Ref: id(stack.lake.indexTable) }, p);
  }
});

test('each projector has an alarm on the bus events it refused as not in the log (EventsNotInLog)', () => {
  for (const p of stack.lake.projectors.keys()) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'EventsNotInLog', Dimensions: [{ Name: 'projection', Value: p }, { Name: 'service', Value: 'eventlake-projector' }], Threshold: 0,
    });
  }
});

test.run();
