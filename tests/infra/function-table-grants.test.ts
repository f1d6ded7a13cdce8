// The indexer's and the rebuild's grants on the index and control tables: only what their code paths send. The
// rebuild's control-table grant is checked against the requests its adapters make (GenerationPointer,
// DynamoDbCheckpointStore, DynamoDbPitrSnapshotStore on a mocked client): every action and partition they use is granted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeContinuousBackupsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../adapters/aws/dynamodb-checkpoint-store.ts';
import { GenerationPointer } from '../../adapters/aws/dynamodb-generation-pointer.ts';
import { DynamoDbPitrSnapshotStore } from '../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { CONTROL_ATTR } from '../../adapters/aws/table-keys.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { REBUILD_CONTROL_ACTIONS, rebuildControlKeys } from '../../infra/function-table-grants.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const stack = new EventLakeStack(new App(), 'TableGrants', { lake: { code: Code.fromInline('export const handler = async () => {};'), prefix: 'bank-lake' } });
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

interface Statement { readonly Effect: string; readonly Action: string | string[]; readonly Resource: unknown; readonly Condition?: unknown }
const statementsOf = (role: unknown): Statement[] => Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(role as never) }] } }))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const on = (statements: Statement[], table: unknown) => statements.filter((s) => JSON.stringify(s.Resource).includes(id(table as never)));
const arn = (table: unknown) => ({ 'Fn::GetAtt': [id(table as never), 'Arn'] });

const test = suite('function grants on the index and control tables');

test('the indexer may only get, scan, put, batch-write, condition-check and update index items, and Query the index\'s GSIs', () => {
  assert.equal(on(statementsOf(stack.lake.indexer.role), stack.lake.indexTable), [
    {
      Effect: 'Allow', Resource: arn(stack.lake.indexTable),
      Action: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem'],
    },
    { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [arn(stack.lake.indexTable), '/index/*']] } },
  ]);
});

test('the indexer may still encrypt and decrypt with the lake key, which encrypts the index', () => {
  const actions = on(statementsOf(stack.lake.indexer.role), stack.lake.key).flatMap((s) => [s.Action].flat());
  for (const a of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']) assert.ok(actions.includes(a), a);
});

test('of the control table the rebuild may touch only each projection\'s pointer and snapshot markers and the CHECKPOINT partition', () => {
  assert.equal(on(statementsOf(stack.lake.rebuild.role), stack.lake.controlTable), [{
    Effect: 'Allow', Resource: arn(stack.lake.controlTable),
    Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['GEN#balances', 'SNAP#balances', 'GEN#statement', 'SNAP#statement', 'CHECKPOINT'] } },
  }]);
});

test('every control-table request of the rebuild\'s stores is an action and a partition its grant allows', async () => {
  const dynamo = mockClient(DynamoDBClient);
  dynamo.onAnyCommand().resolves({});
  dynamo.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } } });
  try {
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const pointer = new GenerationPointer(client, 'control');
    await pointer.note('balances', 2); await pointer.live('balances'); await pointer.list('balances'); await pointer.next('balances');
    await pointer.promote('balances', 2); await pointer.markDropped('balances', 1);
    const checkpoints = new DynamoDbCheckpointStore({ client, controlTableName: 'control' });
    await checkpoints.get('rebuild-lease:balances'); await checkpoints.set('rebuild', 5); await checkpoints.compareAndSet('rebuild-lease:balances', 0, 1);
    const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor: (p, g) => `bank-lake-${p}-g${g}`, sleep: async () => {} });
    const taken = await snapshots.take('statement', 1, 10);
    await snapshots.list('statement'); await snapshots.latestAtOrBefore('statement', Date.now()); await snapshots.remove(taken);
    const sent = dynamo.calls().map((c) => ({ name: c.args[0].constructor.name, input: c.args[0].input as Record<string, any> }))
      .filter((c) => c.input['TableName'] === 'control');
    const pk = (i: Record<string, any>): string => (i['Key'] ?? i['Item'])?.[CONTROL_ATTR.pk]?.S ?? i['ExpressionAttributeValues']?.[':pk']?.S;
    const used = new Set(sent.map((c) => `dynamodb:${c.name.replace(/Command$/, '')}`));
    assert.equal([...used].filter((a) => !(REBUILD_CONTROL_ACTIONS as readonly string[]).includes(a)), []);
    assert.equal(sent.map((c) => pk(c.input)).filter((k) => !rebuildControlKeys(['balances', 'statement']).includes(k)), []);
    assert.equal(used, new Set(REBUILD_CONTROL_ACTIONS), 'every granted action is used');
  } finally {
    dynamo.restore();
  }
});

test.run();
