// A refused batch takes back only the claims it created, and only while they are still its own: a claim a concurrent
// identical emit came to rely on meanwhile stays (DynamoDB Local).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbIdentityClaims, IDENTITY_CLAIM_PREFIX, type IdentityClaim } from '../../../adapters/aws/dynamodb-identity-claims.ts';
import { CONTROL_ATTR, CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

const claim = (n: number, digest = 'd'): IdentityClaim => ({ id: `cash_deposit_${n}`, key: `events/${n}.event`, digest });

async function table() {
  const db = await dynamoDb();
  const tableName = await db.createTable(CONTROL_TABLE, 'rollback');
  const claims = (options: { staleAfterMs?: number; concurrency?: number } = {}) => new DynamoDbIdentityClaims({ client: db.client, tableName, ...options });
  const held = async (id: string) => (await db.client.send(new GetItemCommand({
    TableName: tableName, Key: { [CONTROL_ATTR.pk]: { S: `${IDENTITY_CLAIM_PREFIX}${id}` }, [CONTROL_ATTR.sk]: { S: '#' } }, ConsistentRead: true,
  }))).Item;
  return { db, claims, held };
}

const test = suite('identity claims: rolling back a refused batch');

test('a claim the refused batch created, which an identical emit relied on before the rollback, is kept', async () => {
  const { claims, held } = await table();
  await claims().claim([claim(1000, 'other')]);
  const shared = claim(0);
  // 100 claims (the first transaction, `shared` among them) are written before the second meets the conflict; while it
  // does, an identical emit of `shared` finds its claim and relies on it.
  const refused = [...Array.from({ length: 100 }, (_, i) => claim(i)), claim(1000)];
  const sawConflict = async () => { await claims().claim([shared]); return true; };
  await rejects(() => claims({ staleAfterMs: 0, concurrency: 1 }).claim(refused, sawConflict), EventConflictError);
  assert.ok(await held(shared.id), 'the claim an identical emit relies on is still held');
  assert.is(await held(claim(1).id), undefined);
});

test('a claim held before the refused batch with the same content is not the batch\'s to delete', async () => {
  const { claims, held } = await table();
  await claims().claim([claim(1), claim(2, 'other')]);
  await rejects(() => claims().claim([claim(1), claim(2)]), EventConflictError);
  assert.ok(await held(claim(1).id));
});

test('a claim the batch wrote in a transaction whose answer was lost is its own, and taken back on refusal', async () => {
  const { db, claims, held } = await table();
  await claims().claim([claim(1000, 'other')]);
  let lost = false;
  db.client.middlewareStack.add((next, context) => async (args) => {
    const out = await next(args);
    if (context['commandName'] !== 'TransactWriteItemsCommand' || lost) return out;
    lost = true;
    throw Object.assign(new Error('the answer never came'), { name: 'TimeoutError' });
  }, { step: 'initialize', name: 'lose-answer' });
  try {
    await rejects(() => claims({ concurrency: 1 }).claim([...Array.from({ length: 100 }, (_, i) => claim(i)), claim(1000)]), EventConflictError);
  } finally {
    db.client.middlewareStack.remove('lose-answer');
  }
  assert.ok(lost);
  assert.is(await held(claim(0).id), undefined);
});

test.run();
