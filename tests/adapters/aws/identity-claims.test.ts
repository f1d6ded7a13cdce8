// Emit on AWS claims each identity in the control table before its S3 object (s3rver + DynamoDB Local): one RequestId
// sent again with another EventTimeStamp (another hour, another key) is EVENT_CONFLICT before the indexer ever ran.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbIdentityClaims, IDENTITY_CLAIM_PREFIX } from '../../../adapters/aws/dynamodb-identity-claims.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { CONTROL_ATTR, CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey, EVENTS_PREFIX } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00', Currency: { '100-euro-bills': 1 } };
const otherHour = (amount: string): DomainEvent => ({ ...first, EventTimeStamp: 1_714_200_000, Amount: amount, Currency: { '100-euro-bills': Number(amount) / 100 } });
const other: DomainEvent = { ...first, RequestId: '00000000-0000-4000-8000-000000000001' };

async function services() {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const tableName = await db.createTable(CONTROL_TABLE, 'claims');
  const log = new S3EventLog({ client: s3.client, bucket: s3.bucket, claims: new DynamoDbIdentityClaims({ client: db.client, tableName }) });
  const keys = async () => { const out: string[] = []; for await (const o of log.list(EVENTS_PREFIX)) out.push(o.key); return out.sort(); };
  const claimOf = async (id: string) => (await db.client.send(new GetItemCommand({
    TableName: tableName, Key: { [CONTROL_ATTR.pk]: { S: `${IDENTITY_CLAIM_PREFIX}${id}` }, [CONTROL_ATTR.sk]: { S: '#' } }, ConsistentRead: true,
  }))).Item;
  return { s3, db, log, keys, claimOf };
}

const test = suite('S3EventLog with identity claims');
test.after(() => stopS3());

test('the same identity with other content in another hour is EventConflictError naming the first key, and nothing is stored', async () => {
  const { log, keys } = await services();
  assert.is((await log.append([first]))[0]!.status, 'stored');
  const error = await rejects(() => log.append([otherHour('900.00')]), EventConflictError);
  assert.is(error.key, eventKey(first));
  assert.ok(error.message.includes(eventKey(first)), error.message);
  assert.equal(await keys(), [eventKey(first)]);
});

test('the same identity with the same timestamp and content again is a duplicate', async () => {
  const { log } = await services();
  await log.append([first]);
  assert.is((await log.append([first]))[0]!.status, 'duplicate');
});

test('a claim whose object a crash never wrote is finished by sending the same event again', async () => {
  const { s3, log, keys } = await services();
  await log.append([first]);
  await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: eventKey(first) }));
  assert.is((await log.append([first]))[0]!.status, 'stored');
  assert.equal(await keys(), [eventKey(first)]);
});

test('a batch with one conflicting identity stores nothing and leaves no claim of its other events', async () => {
  const { log, keys, claimOf } = await services();
  await log.append([first]);
  await rejects(() => log.append([other, otherHour('900.00')]), EventConflictError);
  assert.equal(await keys(), [eventKey(first)]);
  assert.is(await claimOf(eventId(other)), undefined);
});

/** Deposits of their own RequestIds (`n` in the last block), in the hour of `first`. */
const deposits = (from: number, count: number): DomainEvent[] =>
  Array.from({ length: count }, (_, i) => ({ ...first, RequestId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}` }));

test('a batch over 100 identities is claimed in one transaction per 100, and a conflict in a later one takes back the earlier ones', async () => {
  const { db, log, keys, claimOf } = await services();
  const late = deposits(1000, 1)[0]!;
  await log.append([late]);
  const seen: string[] = [];
  db.client.middlewareStack.add((next, context) => async (args) => { seen.push(String(context['commandName'])); return next(args); }, { step: 'initialize', name: 'count-claims' });
  try {
    await rejects(() => log.append([...deposits(0, 150), { ...late, EventTimeStamp: 1_714_200_000 }]), EventConflictError);
  } finally {
    db.client.middlewareStack.remove('count-claims');
  }
  assert.is(seen.filter((c) => c === 'TransactWriteItemsCommand').length, 2);
  assert.equal(await keys(), [eventKey(late)]);
  assert.is(await claimOf(eventId(deposits(0, 1)[0]!)), undefined);
});

test('two emits racing with other content for one identity in two hours: exactly one is stored', async () => {
  const { log, keys } = await services();
  const outcomes = await Promise.allSettled([log.append([first]), log.append([otherHour('900.00')])]);
  assert.equal(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
  assert.is((await keys()).length, 1);
});

test.run();

const facade = suite('openAwsEventlake: emit claims identities');
facade.after(() => stopS3());

facade('emit of a RequestId again in another hour is refused with EVENT_CONFLICT before any indexer ran', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  const rt = await openAwsEventlake({ bucket: s3.bucket, indexTable, controlTable, tablePrefix: db.uniqueName('proj'), clients: { s3: s3.client, dynamodb: db.client } });
  try {
    await rt.lake.emit(first);
    const error = await rejects(() => rt.lake.emit(otherHour('900.00')), EventConflictError);
    assert.is(error.code, 'EVENT_CONFLICT');
  } finally {
    await rt.close();
  }
});

facade.run();
