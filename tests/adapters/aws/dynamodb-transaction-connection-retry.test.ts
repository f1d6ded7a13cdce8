// The two DynamoDB writes with their own retry loops (indexing a chunk of entries, applying an event to a projection)
// retry a lost connection as they retry throttling: the SDK passes Node's socket errors on with the errno name in
// `code`, which a check of the error's name alone missed, so one dropped connection failed the whole write. Retrying
// is safe because each transaction guards itself: a replay of one that landed fails its own condition (the id guard,
// the idempotency item) and reads back what the first attempt stored.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetItemCommand, DynamoDBClient, GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { balancesProjection } from '../../../domain/balances.ts';
import { eventId } from '../../../domain/event.ts';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { SAMPLES } from '../../support/samples.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const hangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const deposit = SAMPLES['cash_deposit']!;
const id = eventId(deposit);
const ENTRY = {
  id, type: 'cash_deposit', timestamp: 1714000000, accounts: ['DE44-5001-0517'], location: { key: `events/year=2024/month=04/day=24/hour=23/${id}.event` },
  size: 200, storageClass: 'STANDARD' as const, restore: 'NONE' as const,
};

const test = suite('DynamoDB transactions: a lost connection is retried');
test.before.each(() => { ddb.reset(); });

test('indexing entries whose transaction lost its connection retries it and returns the entries', async () => {
  ddb.on(TransactWriteItemsCommand).rejectsOnce(hangUp()).resolves({});
  const [stored] = await new DynamoDbEventIndex({ client, tableName: 'index' }).put([ENTRY]);
  assert.is(stored?.id, id);
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 2);
});

test('indexing retried after a lost answer of a transaction that landed keeps the entry the first attempt stored', async () => {
  const index = new DynamoDbEventIndex({ client, tableName: 'index' });
  type Put = { Put: { Item: Record<string, { S?: string }> } };
  let landed: Put[] = [];
  ddb.on(TransactWriteItemsCommand).callsFakeOnce((input: { TransactItems: Put[] }) => {
    landed = input.TransactItems;
    throw hangUp();
  }).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }));
  // The guard item first, then the entry it points at: what the first attempt wrote.
  ddb.on(GetItemCommand).callsFake((input: { Key: Record<string, { S?: string }> }) => {
    const [guard, entry] = landed.map((t) => t.Put.Item);
    return { Item: Object.values(input.Key).every((v, i) => Object.values(guard!)[i]?.S === v.S) ? guard : entry };
  });
  const positionOf = (item: Record<string, { S?: string; N?: string }> | undefined) => item && Object.values(item).map((v) => v.S ?? v.N).join();
  const [stored] = await index.put([ENTRY]);
  assert.is(stored?.id, id);
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 2);
  assert.ok(positionOf(landed[1]?.Put.Item)?.includes(String(stored?.position)), 'the position the first attempt stored');
});

test('applying an event whose transaction lost its connection retries it and reports it applied', async () => {
  ddb.on(BatchGetItemCommand).resolves({ Responses: { 'balances-g1': [] } });
  ddb.on(TransactWriteItemsCommand).rejectsOnce(hangUp()).resolves({});
  const store = new DynamoDbProjectionStore({ client, controlTableName: 'control', tableFor: (n, g) => `${n}-g${g}`, createTables: false });
  assert.equal(await store.apply(balancesProjection, 1, [deposit]), [{ id, status: 'applied' }]);
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 2);
});

test('applying retried after a lost answer of a transaction that landed finds its own record and applies nothing twice', async () => {
  ddb.on(BatchGetItemCommand)
    .resolvesOnce({ Responses: { 'balances-g1': [] } })
    .resolves({ Responses: { 'balances-g1': [{ pk: { S: `A#${id}` } }] } });
  ddb.on(TransactWriteItemsCommand).rejectsOnce(hangUp()).resolves({});
  const store = new DynamoDbProjectionStore({ client, controlTableName: 'control', tableFor: (n, g) => `${n}-g${g}`, createTables: false });
  assert.equal(await store.apply(balancesProjection, 1, [deposit]), [{ id, status: 'duplicate' }]);
  assert.is(ddb.commandCalls(TransactWriteItemsCommand).length, 1);
});

test.run();
