// A claim whose PUT never happened (the writer crashed between claim and PUT) is replaced by other content once it is
// older than the safety window and its key holds no object; a stored, compacted or young claim still refuses (s3rver +
// DynamoDB Local).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbIdentityClaims, type ClaimedObjectExists } from '../../../adapters/aws/dynamodb-identity-claims.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { CONTROL_TABLE } from '../../../adapters/aws/table-keys.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventKey, EVENTS_PREFIX, partitionPrefix, segmentKey, serializeEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00', Currency: { '100-euro-bills': 1 } };
const otherHour: DomainEvent = { ...first, EventTimeStamp: 1_714_200_000, Amount: '900.00', Currency: { '100-euro-bills': 9 } };

/** A log whose claims count as stale after `staleAfterMs`, and the first event's claim with its object deleted (a crash). */
async function crashedClaim(staleAfterMs: number) {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const tableName = await db.createTable(CONTROL_TABLE, 'stale');
  const log = new S3EventLog({ client: s3.client, bucket: s3.bucket, claims: new DynamoDbIdentityClaims({ client: db.client, tableName, staleAfterMs }) });
  await log.append([first]);
  const deleteFirst = () => s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: eventKey(first) }));
  await deleteFirst();
  const keys = async () => { const out: string[] = []; for await (const o of log.list(EVENTS_PREFIX)) out.push(o.key); return out.sort(); };
  return { db, tableName, log, keys, deleteFirst };
}

const test = suite('identity claims: a claim whose object was never written');
test.after(() => stopS3());

test('other content for the identity is stored once the claim is older than the window and its key holds no object', async () => {
  const { log, keys } = await crashedClaim(0);
  assert.is((await log.append([otherHour]))[0]!.status, 'stored');
  assert.equal(await keys(), [eventKey(otherHour)]);
});

test('the replaced claim now guards the new content: the first content again is EVENT_CONFLICT naming the new key', async () => {
  const { log } = await crashedClaim(0);
  await log.append([otherHour]);
  const error = await rejects(() => log.append([first]), EventConflictError);
  assert.is(error.key, eventKey(otherHour));
});

test('a claim younger than the window is left to its writer: other content is EVENT_CONFLICT', async () => {
  const { log, keys } = await crashedClaim(60_000);
  const error = await rejects(() => log.append([otherHour]), EventConflictError);
  assert.is(error.key, eventKey(first));
  assert.equal(await keys(), []);
});

test('a compacted event (its object gone, a segment in its hour) keeps its claim: other content is EVENT_CONFLICT', async () => {
  const { log, keys } = await crashedClaim(0);
  const segment = segmentKey(partitionPrefix(first.EventTimeStamp));
  await log.writeSegment(segment, [serializeEvent(first)]);
  await rejects(() => log.append([otherHour]), EventConflictError);
  assert.equal(await keys(), [segment]);
});

test('of two writers replacing one stale claim with other contents, exactly one wins', async () => {
  const db = await dynamoDb();
  const tableName = await db.createTable(CONTROL_TABLE, 'replacers');
  const claims = (now?: () => number) => new DynamoDbIdentityClaims({ client: db.client, tableName, ...(now ? { now } : {}) });
  const id = 'cash_deposit_00000000-0000-4000-8000-00000000abcd';
  await claims(() => 0).claim([{ id, key: 'events/a.event', digest: 'a' }]);
  const nothingStored: ClaimedObjectExists = async () => false;
  // The first writer has read the stale claim; before it replaces it, the second writer reads and replaces it.
  let second: Promise<void> | undefined;
  const firstWriter = claims().claim([{ id, key: 'events/b.event', digest: 'b' }], async () => {
    second = claims().claim([{ id, key: 'events/c.event', digest: 'c' }], nothingStored);
    await second.catch(() => undefined);
    return false;
  });
  await rejects(() => firstWriter, EventConflictError);
  await second;
});

test.run();
