// DynamoDbProjectionStore's transaction inputs and TransactionCanceledException mapping, against a mocked client.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetItemCommand, DynamoDBClient, ProvisionedThroughputExceededException, TransactionCanceledException, TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { balancesProjection } from '../../../domain/balances.ts';
import { eventId } from '../../../domain/event.ts';
import { StorageError, TransientError } from '../../../domain/errors.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { requestToken } from '../../../adapters/aws/dynamodb-projection-apply.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ddb = mockClient(client);
const store = (maxAttempts = 4) => new DynamoDbProjectionStore({ client, controlTableName: 'control', tableFor: (n, g) => `${n}-g${g}`, createTables: false, maxAttempts });

const verify = SAMPLES['verify_cash_deposit']!;
const deposit = SAMPLES['cash_deposit']!;
const [verifyId, depositId] = [eventId(verify), eventId(deposit)];
const ACCOUNT = String(verify['TargetAccount']);

const cancelled = (...codes: string[]) => new TransactionCanceledException({
  message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })),
});
const depositRecord = { pk: { S: `A#${depositId}` }, memo: { S: JSON.stringify({ account: ACCOUNT, amount: '123.45', ts: deposit.EventTimeStamp }) } };
const transactions = () => ddb.commandCalls(TransactWriteItemsCommand).map((c) => c.args[0].input as TransactWriteItemsCommandInput);

const test = suite('DynamoDbProjectionStore transactions (mocked DynamoDB)');
test.before.each(() => {
  ddb.reset();
  ddb.on(BatchGetItemCommand).resolves({ Responses: { 'balances-g1': [] } });
});

test('keys BatchGetItem leaves unprocessed are read again, consistently, before deciding', async () => {
  ddb.on(BatchGetItemCommand)
    .resolvesOnce({ Responses: { 'balances-g1': [] }, UnprocessedKeys: { 'balances-g1': { Keys: [{ pk: { S: `A#${depositId}` } }] } } })
    .resolves({ Responses: { 'balances-g1': [depositRecord] } });
  ddb.on(TransactWriteItemsCommand).resolves({});
  await store().apply(balancesProjection, 1, [verify]);
  assert.equal(ddb.commandCalls(BatchGetItemCommand)[1]!.args[0].input.RequestItems, { 'balances-g1': { Keys: [{ pk: { S: `A#${depositId}` } }], ConsistentRead: true } });
  assert.equal(transactions()[0]!.TransactItems![1]!.ConditionCheck!.ConditionExpression, 'attribute_exists(#pk)');
});

test('keys that stay unprocessed fail the apply as TransientError after maxAttempts reads instead of looping', async () => {
  ddb.on(BatchGetItemCommand).resolves({ Responses: { 'balances-g1': [] }, UnprocessedKeys: { 'balances-g1': { Keys: [{ pk: { S: `A#${depositId}` } }] } } });
  await rejects(() => store(3).apply(balancesProjection, 1, [verify]), TransientError);
  assert.is(ddb.commandCalls(BatchGetItemCommand).length, 3);
  assert.is(transactions().length, 0);
});

test('one event is one transaction: idempotency put first, related check, counter ADD as an exact number string within 38 digits', async () => {
  ddb.on(TransactWriteItemsCommand).resolves({});
  assert.equal(await store().apply(balancesProjection, 1, [verify]), [{ id: verifyId, status: 'applied' }]);
  assert.equal(ddb.commandCalls(BatchGetItemCommand)[0]!.args[0].input, {
    RequestItems: { 'balances-g1': { Keys: [{ pk: { S: `A#${verifyId}` } }, { pk: { S: `A#${depositId}` } }], ConsistentRead: true } },
  });
  const token = transactions()[0]!.ClientRequestToken!; // random per delivery: its properties are the next test's
  assert.match(token, /^[0-9a-f]{36}$/);
  assert.equal(transactions(), [{
    ClientRequestToken: token,
    TransactItems: [
      { Put: {
        TableName: 'balances-g1', ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' },
        Item: { pk: { S: `A#${verifyId}` }, replay: { BOOL: false }, memo: { S: JSON.stringify({ account: ACCOUNT, amount: '123.40', ts: verify.EventTimeStamp }) } },
      } },
      { ConditionCheck: { TableName: 'balances-g1', Key: { pk: { S: `A#${depositId}` } }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } } },
      { Update: {
        TableName: 'balances-g1', Key: { pk: { S: `C#${ACCOUNT}` } }, UpdateExpression: 'ADD #v :d',
        // The sum must stay within 38 digits (dynamodb-counter-range.ts): the stored value at most 10^38 - 1 - 12340.
        ConditionExpression: 'attribute_not_exists(#v) OR #v BETWEEN :lo AND :hi', ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ExpressionAttributeNames: { '#v': 'v' },
        ExpressionAttributeValues: { ':d': { N: '12340' }, ':lo': { N: `-${'9'.repeat(38)}` }, ':hi': { N: `${'9'.repeat(33)}87659` } },
      } },
    ],
  }]);
});

test('the request token fits DynamoDB (36 chars), is the same when the same decision is retried, and differs for another delivery', () => {
  const a = requestToken('t', 'balances', 2, verifyId, false, [depositId], 'd1');
  assert.ok(a.length <= 36);
  assert.is(requestToken('t', 'balances', 2, verifyId, false, [depositId], 'd1'), a);
  assert.is.not(requestToken('t', 'balances', 2, verifyId, false, [], 'd1'), a);
  assert.is.not(requestToken('t', 'balances', 3, verifyId, false, [depositId], 'd1'), a);
  assert.is.not(requestToken('t', 'balances', 2, verifyId, false, [depositId], 'd2'), a);
});

test('a failed condition on the idempotency item means duplicate', async () => {
  ddb.on(TransactWriteItemsCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
  assert.equal(await store().apply(balancesProjection, 1, [verify]), [{ id: verifyId, status: 'duplicate' }]);
  assert.is(transactions().length, 1);
});

test('a related record that appeared after the read makes the store re-read and decide again', async () => {
  ddb.on(BatchGetItemCommand)
    .resolvesOnce({ Responses: { 'balances-g1': [] } })
    .resolves({ Responses: { 'balances-g1': [depositRecord] } });
  ddb.on(TransactWriteItemsCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None')).resolves({});
  assert.equal(await store().apply(balancesProjection, 1, [verify]), [{ id: verifyId, status: 'applied' }]);
  const [first, second] = transactions();
  assert.is(second!.TransactItems![1]!.ConditionCheck!.ConditionExpression, 'attribute_exists(#pk)');
  // The deposit's -123.45 and the verified +123.40 hit one counter: summed into one action (-0.05).
  assert.equal(second!.TransactItems!.slice(2).map((i) => i.Update!.ExpressionAttributeValues![':d']), [{ N: '-5' }]);
  assert.is.not(second!.ClientRequestToken, first!.ClientRequestToken);
});

test('a transaction conflict is retried and, when it persists, becomes a TransientError', async () => {
  ddb.on(TransactWriteItemsCommand).rejects(cancelled('None', 'None', 'TransactionConflict'));
  const error = await rejects(() => store(3).apply(balancesProjection, 1, [verify]), TransientError);
  assert.ok(error.cause instanceof TransactionCanceledException);
  assert.is(transactions().length, 3);
  assert.is(new Set(transactions().map((t) => t.ClientRequestToken)).size, 1, 'one delivery, one decision: one token');
});

test('throttling of a transaction is retried until it goes through', async () => {
  ddb.on(TransactWriteItemsCommand)
    .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
    .resolves({});
  assert.equal(await store().apply(balancesProjection, 1, [verify]), [{ id: verifyId, status: 'applied' }]);
  assert.is(transactions().length, 2);
});

test('any other cancellation reason is a StorageError, never a duplicate', async () => {
  ddb.on(TransactWriteItemsCommand).rejects(cancelled('None', 'None', 'ValidationError'));
  const error = await rejects(() => store().apply(balancesProjection, 1, [verify]), StorageError);
  assert.instance(error.cause, TransactionCanceledException);
  assert.is(transactions().length, 1);
});

test.run();
