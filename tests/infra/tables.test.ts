// DynamoDB tables equal the adapters' descriptions (table-keys.ts) and are on demand, KMS, PITR, deletion-protected.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { CONTROL_TABLE, EVENT_INDEX_TABLE, PROJECTION_TABLE, projectionTableName, type TableDefinition } from '../../adapters/aws/table-keys.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'Test', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank' } });
const template = Template.fromStack(stack);
const keyId = stack.getLogicalId(stack.lake.key.node.defaultChild as never);

type Props = Record<string, any>;
function table(name: string): Props {
  const found = Object.values(template.findResources('AWS::DynamoDB::Table', { Properties: { TableName: name } }));
  assert.is(found.length, 1, `table ${name}`);
  return found[0]!.Properties;
}

/** What CloudFormation must hold for a description: attributes, key schema, GSIs. */
function expected(def: TableDefinition): Props {
  const schema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' }, ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
  ];
  const attrs = new Map<string, string>();
  for (const a of [def.partitionKey, def.sortKey, ...def.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey])]) if (a) attrs.set(a.name, a.type);
  return {
    KeySchema: schema(def.partitionKey, def.sortKey),
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })).sort((a, b) => a.AttributeName.localeCompare(b.AttributeName)),
    GlobalSecondaryIndexes: def.globalIndexes.map((g) => ({ IndexName: g.indexName, KeySchema: schema(g.partitionKey, g.sortKey), Projection: { ProjectionType: g.projection } })),
  };
}

function assertMatches(props: Props, def: TableDefinition): void {
  const want = expected(def);
  assert.equal(props.KeySchema, want.KeySchema);
  assert.equal([...props.AttributeDefinitions].sort((a: Props, b: Props) => a.AttributeName.localeCompare(b.AttributeName)), want.AttributeDefinitions);
  assert.equal(props.GlobalSecondaryIndexes ?? [], want.GlobalSecondaryIndexes);
}

const NAMES = ['bank-index', 'bank-control', projectionTableName('bank', 'balances', 1), projectionTableName('bank', 'statement', 1)];
const test = suite('EventLake tables');

test('there are four tables: index, control, and generation 1 of balances and statement', () => {
  assert.equal(Object.values(template.findResources('AWS::DynamoDB::Table')).map((t) => t.Properties.TableName).sort(), [...NAMES].sort());
});

test('the index table has the keys and GSIs of EVENT_INDEX_TABLE', () => {
  assertMatches(table('bank-index'), EVENT_INDEX_TABLE);
});

test('the control table has the keys of CONTROL_TABLE and no GSI', () => {
  assertMatches(table('bank-control'), CONTROL_TABLE);
});

test('each projection table has the keys and GSI of PROJECTION_TABLE', () => {
  assertMatches(table('bank-balances-g1'), PROJECTION_TABLE);
  assertMatches(table('bank-statement-g1'), PROJECTION_TABLE);
});

test('every table is on demand, with point-in-time recovery and deletion protection', () => {
  for (const name of NAMES) {
    const t = table(name);
    assert.is(t.BillingMode, 'PAY_PER_REQUEST', name);
    assert.equal(t.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true }, name);
    assert.is(t.DeletionProtectionEnabled, true, name);
  }
});

test('every table is encrypted with the lake\'s customer-managed key', () => {
  for (const name of NAMES) assert.equal(table(name).SSESpecification, { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }, name);
});

test('every table is retained when the stack is deleted', () => {
  for (const t of Object.values(template.findResources('AWS::DynamoDB::Table'))) assert.is(t.DeletionPolicy, 'Retain');
});

test.run();
